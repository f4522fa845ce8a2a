import { anyValueToString } from '../otlp/any-value';
import type { OtlpKeyValue } from '../otlp/types';

/**
 * Attributes that hold prompt or completion text, or the inputs and outputs of
 * a call. Spanlens stores costs and metadata, not conversations: content is
 * out of scope and the likeliest place for personal data, so it is dropped
 * before anything is stored or published. A key matches when it equals an
 * entry or continues it after a dot (`gen_ai.prompt.0.content`).
 */
const CONTENT_ATTRIBUTE_PREFIXES = [
  // OpenTelemetry GenAI semantic conventions, current and deprecated.
  'gen_ai.prompt',
  'gen_ai.completion',
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  // OpenLLMetry.
  'llm.prompts',
  'llm.completions',
  'traceloop.entity.input',
  'traceloop.entity.output',
  // OpenInference.
  'llm.input_messages',
  'llm.output_messages',
  'llm.prompt_template.variables',
  'embedding.embeddings',
  'input.value',
  'output.value',
  // Vercel AI SDK (ai.result.* is the v3 name of ai.response.*). Only the
  // messages of `ai.prompt.*` are content; its format and tool settings are not.
  'ai.prompt.messages',
  'ai.response.text',
  'ai.response.object',
  'ai.response.toolCalls',
  'ai.response.reasoning',
  'ai.result.text',
  'ai.result.object',
  'ai.result.toolCalls',
  'ai.value',
  'ai.values',
  'ai.embedding',
  'ai.embeddings',
  'ai.toolCall.args',
  'ai.toolCall.result',
  // Langfuse.
  'langfuse.observation.input',
  'langfuse.observation.output',
  'langfuse.trace.input',
  'langfuse.trace.output',
];

/** Content attributes matched by exact name only, because other attributes continue them. */
const CONTENT_ATTRIBUTE_KEYS = new Set(['ai.prompt']);

export function isContentAttribute(key: string): boolean {
  return CONTENT_ATTRIBUTE_KEYS.has(key) || CONTENT_ATTRIBUTE_PREFIXES.some((prefix) => key === prefix || key.startsWith(`${prefix}.`));
}

/**
 * Attributes as stored: every value as text (arrays and lists as JSON), cut
 * to `maxChars`. Object.fromEntries is used so that a key such as `__proto__`
 * is stored like any other instead of being swallowed by the object prototype.
 */
export function storedAttributes(attributes: OtlpKeyValue[], maxChars: number): Record<string, string> {
  const entries: [string, string][] = [];
  for (const { key, value } of attributes) {
    if (isContentAttribute(key)) continue;
    entries.push([key, truncate(anyValueToString(value), maxChars)]);
  }
  return Object.fromEntries(entries);
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, cut);
}
