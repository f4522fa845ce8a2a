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
