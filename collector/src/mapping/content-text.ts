/**
 * Prompt and completion text of an LLM span, for content capture: read from
 * the attributes (and events) the common instrumentations write it to, in
 * the order of the attribute-mapping contract. Message lists (JSON) are
 * reduced to their text parts, one message per line, so the stored text and
 * its length are the words the model read or wrote, not JSON syntax.
 */
import { anyValueToString } from '../otlp/any-value';
import type { OtlpKeyValue, OtlpSpanEvent } from '../otlp/types';
import { truncate, type MappingTally } from './stored-attributes';

export interface ContentText {
  prompt: string;
  completion: string;
}

/** Attributes holding the whole prompt or completion, as text or a JSON message list. */
const PROMPT_KEYS = ['gen_ai.system_instructions', 'gen_ai.input.messages', 'llm.prompts', 'ai.prompt.messages', 'ai.prompt', 'input.value', 'traceloop.entity.input', 'langfuse.observation.input'];
const COMPLETION_KEYS = ['gen_ai.output.messages', 'llm.completions', 'ai.response.text', 'ai.result.text', 'output.value', 'traceloop.entity.output', 'langfuse.observation.output'];

/** Indexed message attributes: `gen_ai.prompt.0.content` (OpenLLMetry), `llm.input_messages.0.message.content` (OpenInference). */
const PROMPT_INDEXED = [/^gen_ai\.prompt\.(\d+)\.content$/, /^llm\.input_messages\.(\d+)\.message\.content$/];
const COMPLETION_INDEXED = [/^gen_ai\.completion\.(\d+)\.content$/, /^llm\.output_messages\.(\d+)\.message\.content$/];

/** Deprecated GenAI message events (`gen_ai.user.message`, `gen_ai.choice`, …). */
const PROMPT_EVENTS = new Set(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message']);
const COMPLETION_EVENTS = new Set(['gen_ai.choice']);

/** The text cut to `maxChars` (content has its own cap, not counted as a cut attribute), after `tally.beforeCut`. */
function cut(text: string, maxChars: number, tally: MappingTally | undefined): string {
  if (text.length <= maxChars) return text;
  return truncate(tally?.beforeCut ? tally.beforeCut.text(text) : text, maxChars);
}

export function contentText(attributes: readonly OtlpKeyValue[], events: readonly OtlpSpanEvent[], maxChars: number, tally?: MappingTally): ContentText {
  const byKey = new Map(attributes.map((attribute) => [attribute.key, anyValueToString(attribute.value)]));
  const prompt = [...direct(byKey, PROMPT_KEYS), ...indexed(byKey, PROMPT_INDEXED), ...eventText(events, PROMPT_EVENTS)];
  const completion = [...direct(byKey, COMPLETION_KEYS), ...indexed(byKey, COMPLETION_INDEXED), ...eventText(events, COMPLETION_EVENTS)];
  return { prompt: cut(prompt.join('\n'), maxChars, tally), completion: cut(completion.join('\n'), maxChars, tally) };
}

function direct(byKey: ReadonlyMap<string, string>, keys: readonly string[]): string[] {
  return keys.flatMap((key) => {
    const value = byKey.get(key);
    return value ? [textOf(value)] : [];
  });
}

function indexed(byKey: ReadonlyMap<string, string>, patterns: readonly RegExp[]): string[] {
  const found: Array<[number, string]> = [];
  for (const [key, value] of byKey) {
    for (const pattern of patterns) {
      const match = pattern.exec(key);
      if (match) found.push([Number(match[1]), value]);
    }
  }
  return found.sort((a, b) => a[0] - b[0]).map(([, value]) => value);
}

function eventText(events: readonly OtlpSpanEvent[], names: ReadonlySet<string>): string[] {
  return events
    .filter((event) => names.has(event.name))
    .flatMap((event) => event.attributes.filter((attribute) => attribute.key === 'content' || attribute.key === 'message' || attribute.key === 'gen_ai.event.content').map((attribute) => textOf(anyValueToString(attribute.value))));
}

/** The text parts of a JSON message list or object; other text as it is. */
export function textOf(value: string): string {
  const trimmed = value.trimStart();
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) return value;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return value;
  }
  const parts: string[] = [];
  collectText(parsed, parts);
  return parts.length > 0 ? parts.join('\n') : value;
}

const TEXT_KEYS = new Set(['content', 'text', 'prompt', 'system', 'input', 'output']);

function collectText(node: unknown, parts: string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) collectText(item, parts);
  } else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string' && TEXT_KEYS.has(key)) parts.push(value);
      else if (typeof value === 'object') collectText(value, parts);
    }
  }
}
