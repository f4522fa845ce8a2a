import type { LlmSpan } from '../model/span';

/**
 * Nanoseconds since the epoch ("1732280000123456789") as decimal seconds
 * ("1732280000.123456789"). Both chDB and a ClickHouse server parse this
 * form into DateTime64(9) exactly, whereas a bare integer is read as seconds
 * by some server versions and as ticks by others.
 */
export function nsToDateTime64(ns: string): string {
  const padded = ns.padStart(10, '0');
  return `${padded.slice(0, -9)}.${padded.slice(-9)}`;
}

/** The start of the UTC hour holding a nanosecond timestamp, in epoch seconds. */
export function hourOfNs(ns: string): number {
  const seconds = ns.length > 9 ? Number(ns.slice(0, -9)) : 0;
  return seconds - (seconds % 3600);
}

/**
 * Column order of `spanRow`, for `INSERT INTO llm_spans (…) FORMAT
 * JSONCompactEachRow`: positional rows are a third of the bytes of keyed
 * ones, which is most of the cost of the ingest hot path.
 */
export const spanColumns = [
  'trace_id', 'span_id', 'parent_span_id', 'start_time', 'end_time', 'duration_ms',
  'service_name', 'span_name', 'provider', 'operation', 'request_model', 'response_model', 'model',
  'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens',
  'finish_reasons', 'is_error', 'error_type', 'ttft_ms',
  'feature', 'user_id', 'session_id', 'prompt_id', 'prompt_version',
  'code_file_path', 'code_line_number', 'code_function_name',
  'cost_usd', 'input_cost_usd', 'output_cost_usd', 'unpriced', 'price_version',
  'attributes', 'resource_attributes', 'prompt_text', 'completion_text',
] as const;

/** One span as a positional row in `spanColumns` order. */
export function spanRow(span: LlmSpan): unknown[] {
  return [
    span.trace_id, span.span_id, span.parent_span_id,
    nsToDateTime64(span.start_time_ns), nsToDateTime64(span.end_time_ns), span.duration_ms,
    span.service_name, span.span_name, span.provider, span.operation,
    span.request_model, span.response_model, span.model,
    span.input_tokens, span.output_tokens, span.cache_read_tokens, span.cache_write_tokens, span.reasoning_tokens,
    span.finish_reasons, span.is_error, span.error_type, span.ttft_ms,
    span.feature, span.user_id, span.session_id, span.prompt_id, span.prompt_version,
    span.code_file_path, span.code_line_number, span.code_function_name,
    span.cost_usd, span.input_cost_usd, span.output_cost_usd, span.unpriced, span.price_version,
    span.attributes, span.resource_attributes, span.prompt_text ?? '', span.completion_text ?? '',
  ];
}
