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

const CONTENT_PREFIX_SET: ReadonlySet<string> = new Set(CONTENT_ATTRIBUTE_PREFIXES);
const prefixDots = CONTENT_ATTRIBUTE_PREFIXES.map((prefix) => prefix.split('.').length - 1);
/** Heads of a key with fewer or more dots than any prefix cannot match one, and are not tried. */
const MIN_PREFIX_DOTS = Math.min(...prefixDots);
const MAX_PREFIX_DOTS = Math.max(...prefixDots);

/**
 * Called for every attribute of every span that has no column of its own, so
 * it looks the key up rather than trying each prefix: the key itself, then
 * each of its heads that ends before a dot (`gen_ai.prompt` of
 * `gen_ai.prompt.0.content`).
 */
export function isContentAttribute(key: string): boolean {
  if (CONTENT_PREFIX_SET.has(key) || CONTENT_ATTRIBUTE_KEYS.has(key)) return true;
  let dot = key.indexOf('.');
  // `dots` is the number of dots in the head before `dot`.
  for (let dots = 0; dot !== -1 && dots <= MAX_PREFIX_DOTS; dots++) {
    if (dots >= MIN_PREFIX_DOTS && CONTENT_PREFIX_SET.has(key.slice(0, dot))) return true;
    dot = key.indexOf('.', dot + 1);
  }
  return false;
}

/**
 * A span's attributes as stored: those that are neither content nor in
 * `mapped` (keys whose value already has a column; see MAPPED_KEYS), every
 * value as text (arrays and lists as JSON), cut to `maxChars`. Later
 * duplicates of a key win, as in the attribute lookup.
 */
export function storedAttributes(attributes: readonly OtlpKeyValue[], maxChars: number, mapped: ReadonlySet<string>, tally: MappingTally = newMappingTally()): Record<string, string> {
  const stored: Record<string, string> = {};
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i]!;
    if (mapped.has(key) || isContentAttribute(key)) continue;
    setAttribute(stored, key, truncateCounted(anyValueToString(value), maxChars, tally));
  }
  return stored;
}

/**
 * A resource's attributes as stored: only those whose key starts with one of
 * `prefixes` (mapping.resource_attribute_prefixes), content never.
 *
 * Resource attributes repeat on every span of their process, and each one is
 * stored and parsed again on every row of the Map column. The defaults keep
 * what users filter and group by (service, deployment environment, Kubernetes
 * and cloud placement, host, container, function) and drop the SDK, process
 * and OS descriptions (`telemetry.sdk.*`, `process.*`, `os.*`) that are the
 * same everywhere and cost storage on every span.
 *
 * Computed once per resource and shared by all its spans: the object is frozen,
 * so that a later stage cannot change one span's copy by accident and all of
 * them with it.
 */
export function storedResourceAttributes(attributes: readonly OtlpKeyValue[], maxChars: number, prefixes: readonly string[], tally: MappingTally = newMappingTally()): Readonly<Record<string, string>> {
  const stored: Record<string, string> = {};
  for (const { key, value } of attributes) {
    if (!prefixes.some((prefix) => key.startsWith(prefix)) || isContentAttribute(key)) continue;
    setAttribute(stored, key, truncateCounted(anyValueToString(value), maxChars, tally));
  }
  return Object.freeze(stored);
}

/** Defined rather than assigned, so that a key such as `__proto__` is stored like any other instead of setting the prototype. */
function setAttribute(stored: Record<string, string>, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(stored, key, { value, enumerable: true, writable: true, configurable: true });
  else stored[key] = value;
}

/** Cuts to `max` UTF-16 units without splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.charCodeAt(max - 1) >= 0xd800 && text.charCodeAt(max - 1) <= 0xdbff ? max - 1 : max;
  return text.slice(0, cut);
}

/** What mapping cut or dropped, for the collector's metrics. */
export interface MappingTally {
  /** Attributes past mapping.max_attributes_per_span, dropped. */
  droppedAttributes: number;
  /** Values longer than mapping.max_attribute_value_chars, cut. */
  truncatedValues: number;
  /** What runs over a value that is too long before it is cut (see CutHooks). */
  beforeCut?: CutHooks | undefined;
}

/**
 * The collector's redactor, run over a value that is too long before it is
 * cut: cut first, an address or a key would lose the end that makes it
 * recognisable, and its front half would be stored. `id` is for attribution
 * ids, which get a pseudonym (see redactSpans), `text` for everything else.
 */
export interface CutHooks {
  text: (text: string) => string;
  id: (text: string) => string;
}

export function newMappingTally(beforeCut?: CutHooks): MappingTally {
  return { droppedAttributes: 0, truncatedValues: 0, beforeCut };
}

/** truncate, after `tally.beforeCut.text`, counting each value it cuts. */
export function truncateCounted(text: string, max: number, tally: MappingTally): string {
  return cutCounted(text, max, tally, tally.beforeCut?.text);
}

/** truncateCounted for an attribution id (user, session, feature, prompt, service, code location, model). */
export function truncateIdCounted(text: string, max: number, tally: MappingTally): string {
  return cutCounted(text, max, tally, tally.beforeCut?.id);
}

function cutCounted(text: string, max: number, tally: MappingTally, before: ((text: string) => string) | undefined): string {
  if (text.length <= max) return text;
  const whole = before ? before(text) : text;
  if (whole.length <= max) return whole;
  tally.truncatedValues += 1;
  return truncate(whole, max);
}
