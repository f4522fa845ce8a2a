import { z } from 'zod';
import { nsInStoredRange } from './time-range';

/**
 * The normalised LLM span: one row of `llm_spans`, whatever dialect the
 * application's instrumentation spoke. Timestamps are nanoseconds since the
 * Unix epoch as decimal strings, because a JavaScript number cannot hold them
 * exactly and ClickHouse parses them straight into DateTime64(9).
 */
export const llmSpanSchema = z.object({
  trace_id: z.string().regex(/^[0-9a-f]{32}$/),
  span_id: z.string().regex(/^[0-9a-f]{16}$/),
  parent_span_id: z.string(),
  start_time_ns: z.string().regex(/^\d+$/).refine(nsInStoredRange, 'outside the times stored (2001-09-09 to 2262-04-11)'),
  end_time_ns: z.string().regex(/^\d+$/).refine(nsInStoredRange, 'outside the times stored (2001-09-09 to 2262-04-11)'),
  duration_ms: z.number().nonnegative(),
  service_name: z.string(),
  span_name: z.string(),
  provider: z.string(),
  operation: z.string(),
  request_model: z.string(),
  response_model: z.string(),
  /** The model that served the call: the response model, else the requested one. */
  model: z.string(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  cache_read_tokens: z.number().int().nonnegative(),
  cache_write_tokens: z.number().int().nonnegative(),
  reasoning_tokens: z.number().int().nonnegative(),
  finish_reasons: z.array(z.string()),
  is_error: z.boolean(),
  error_type: z.string(),
  /** Time to first token in milliseconds, when the instrumentation reported it. */
  ttft_ms: z.number().nonnegative().nullable(),
  feature: z.string(),
  user_id: z.string(),
  session_id: z.string(),
  prompt_id: z.string(),
  prompt_version: z.string(),
  code_file_path: z.string(),
  /** UInt32 in storage. */
  code_line_number: z.number().int().nonnegative().max(4_294_967_295),
  code_function_name: z.string(),
  /** Null when the model has no price: never a silent zero. */
  cost_usd: z.number().nonnegative().nullable(),
  input_cost_usd: z.number().nonnegative().nullable(),
  output_cost_usd: z.number().nonnegative().nullable(),
  unpriced: z.boolean(),
  price_version: z.string(),
  attributes: z.record(z.string(), z.string()),
  resource_attributes: z.record(z.string(), z.string()),
  /**
   * Prompt and completion text, only when content capture is configured
   * (mapping.capture_content), cut to mapping.max_content_chars and redacted
   * in the collector; absent otherwise. Older envelopes have neither.
   */
  prompt_text: z.string().optional(),
  completion_text: z.string().optional(),
});

export type LlmSpan = z.infer<typeof llmSpanSchema>;

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;
const DIGITS = /^\d+$/;
const textFields = [
  'parent_span_id', 'service_name', 'span_name', 'provider', 'operation', 'request_model', 'response_model', 'model',
  'error_type', 'feature', 'user_id', 'session_id', 'prompt_id', 'prompt_version', 'code_file_path', 'code_function_name', 'price_version',
] as const;
const countFields = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens'] as const;
const costFields = ['ttft_ms', 'cost_usd', 'input_cost_usd', 'output_cost_usd'] as const;
const spanKeys = new Set(Object.keys(llmSpanSchema.shape));
/** Fields a span may leave out (captured content), read from the schema rather than counted by hand. */
const requiredKeys = [...spanKeys].filter((key) => !llmSpanSchema.shape[key as keyof LlmSpan].safeParse(undefined).success).length;
// Every field of the schema must be checked below: a field added to the schema
// and not here would otherwise pass unchecked. Fails at load, so in every test.
const checkedKeys = new Set<string>([
  ...textFields, ...countFields, ...costFields,
  'trace_id', 'span_id', 'start_time_ns', 'end_time_ns', 'duration_ms', 'code_line_number', 'is_error', 'unpriced',
  'finish_reasons', 'attributes', 'resource_attributes', 'prompt_text', 'completion_text',
]);
const unchecked = [...spanKeys].filter((key) => !checkedKeys.has(key));
if (unchecked.length > 0) throw new Error(`isStoredSpan does not check ${unchecked.join(', ')}: add them to it`);

const isCount = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;
const isAmount = (value: unknown): boolean => typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isTime = (value: unknown): boolean => typeof value === 'string' && DIGITS.test(value) && nsInStoredRange(value);
function isTextRecord(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) {
    if (key === '__proto__' || typeof (value as Record<string, unknown>)[key] !== 'string') return false;
  }
  return true;
}

/**
 * Whether `value`, as JSON.parse made it, is a span that `llmSpanSchema`
 * accepts as it stands: every field of the right type and range, no field
 * the schema would drop. It never says yes to anything the schema refuses;
 * when it says no, the schema decides and names what is wrong. Reading a
 * Kafka message takes 1–2 µs this way instead of 13–15 µs through zod.
 */
export function isStoredSpan(value: unknown): value is LlmSpan {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const span = value as Record<string, unknown>;
  let keys = 0;
  for (const key in span) {
    if (!spanKeys.has(key)) return false;
    keys += 1;
  }
  if (keys < requiredKeys) return false;
  if (typeof span.trace_id !== 'string' || !TRACE_ID.test(span.trace_id)) return false;
  if (typeof span.span_id !== 'string' || !SPAN_ID.test(span.span_id)) return false;
  if (!isTime(span.start_time_ns) || !isTime(span.end_time_ns)) return false;
  for (const field of textFields) if (typeof span[field] !== 'string') return false;
  for (const field of countFields) if (!isCount(span[field])) return false;
  for (const field of costFields) if (span[field] !== null && !isAmount(span[field])) return false;
  if (!isAmount(span.duration_ms)) return false;
  if (!isCount(span.code_line_number) || (span.code_line_number as number) > 4_294_967_295) return false;
  if (typeof span.is_error !== 'boolean' || typeof span.unpriced !== 'boolean') return false;
  if (!Array.isArray(span.finish_reasons) || !span.finish_reasons.every((reason) => typeof reason === 'string')) return false;
  if (!isTextRecord(span.attributes) || !isTextRecord(span.resource_attributes)) return false;
  if (span.prompt_text !== undefined && typeof span.prompt_text !== 'string') return false;
  if (span.completion_text !== undefined && typeof span.completion_text !== 'string') return false;
  return true;
}

/** An LLM span as the mapper produces it, before pricing fills the cost fields. */
export type UnpricedLlmSpan = Omit<
  LlmSpan,
  'cost_usd' | 'input_cost_usd' | 'output_cost_usd' | 'unpriced' | 'price_version'
>;

/** Why a span in an OTLP request was rejected; also the `reason` label of the metric. */
export const rejectReasons = [
  'invalid_ids',
  'invalid_tokens',
  'invalid_timestamps',
  'too_many_attributes',
] as const;
export type RejectReason = (typeof rejectReasons)[number];

export interface RejectedSpan {
  reason: RejectReason;
  /** What was wrong and where, e.g. `span 3 (trace 0af7…): gen_ai.usage.input_tokens is -5`. */
  message: string;
}
