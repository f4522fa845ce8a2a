import type { LlmSpan } from '../model/span';
import { NativeBlockWriter } from './native-block';
import { spanColumns } from './span-row';

type Column = (typeof spanColumns)[number];

/**
 * The Native type each column is written as, in `spanColumns` order. Text that
 * `llm_spans` keeps as LowCardinality(String) is written as String, and map
 * keys likewise: the INSERT … SELECT converts them, which costs less than
 * writing dictionaries here.
 */
const nativeTypes: Record<Column, string> = {
  trace_id: 'String', span_id: 'String', parent_span_id: 'String',
  start_time: "DateTime64(9, 'UTC')", end_time: "DateTime64(9, 'UTC')", duration_ms: 'Float64',
  service_name: 'String', span_name: 'String', provider: 'String', operation: 'String',
  request_model: 'String', response_model: 'String', model: 'String',
  input_tokens: 'UInt64', output_tokens: 'UInt64', cache_read_tokens: 'UInt64', cache_write_tokens: 'UInt64', reasoning_tokens: 'UInt64',
  finish_reasons: 'Array(String)', is_error: 'Bool', error_type: 'String', ttft_ms: 'Nullable(Float64)',
  feature: 'String', user_id: 'String', session_id: 'String', prompt_id: 'String', prompt_version: 'String',
  code_file_path: 'String', code_line_number: 'UInt32', code_function_name: 'String',
  cost_usd: 'Nullable(Float64)', input_cost_usd: 'Nullable(Float64)', output_cost_usd: 'Nullable(Float64)',
  unpriced: 'Bool', price_version: 'String',
  attributes: 'Map(String, String)', resource_attributes: 'Map(String, String)',
  prompt_text: 'String', completion_text: 'String',
};

type Writer = (out: NativeBlockWriter, spans: readonly LlmSpan[]) => void;

const text =
  (read: (span: LlmSpan) => string): Writer =>
  (out, spans) => {
    for (const span of spans) out.string(read(span));
  };
const count =
  (read: (span: LlmSpan) => number): Writer =>
  (out, spans) => {
    for (const span of spans) out.uint64(read(span));
  };
const flag =
  (read: (span: LlmSpan) => boolean): Writer =>
  (out, spans) => {
    for (const span of spans) out.uint8(read(span) ? 1 : 0);
  };
const time =
  (read: (span: LlmSpan) => string): Writer =>
  (out, spans) => {
    for (const span of spans) out.nanosecondsDecimal(read(span));
  };
const nullableFloat =
  (read: (span: LlmSpan) => number | null): Writer =>
  (out, spans) => {
    for (const span of spans) out.uint8(read(span) === null ? 1 : 0);
    for (const span of spans) out.float64(read(span) ?? 0);
  };
/**
 * Map(String, String): the running totals, every key, every value. Spans of
 * one resource follow each other and share its attributes object, so a map
 * that is the same object as the row before's is copied from the bytes just
 * written for it rather than encoded again.
 */
const stringMap =
  (read: (span: LlmSpan) => Record<string, string>): Writer =>
  (out, spans) => {
    const maps = spans.map(read);
    const keys: string[][] = [];
    for (let i = 0; i < maps.length; i++) keys.push(i > 0 && maps[i] === maps[i - 1] ? keys[i - 1]! : Object.keys(maps[i]!));
    let total = 0;
    for (const list of keys) out.uint64((total += list.length));
    writeRows(out, maps, (i) => {
      for (const key of keys[i]!) out.string(key);
    });
    writeRows(out, maps, (i) => {
      const map = maps[i]!;
      for (const key of keys[i]!) out.string(map[key]!);
    });
  };

/** Writes each row with `write`, or, when its map is the row before's object, copies the bytes just written for that row. */
function writeRows(out: NativeBlockWriter, maps: readonly object[], write: (row: number) => void): void {
  let from = 0;
  let to = 0;
  for (let i = 0; i < maps.length; i++) {
    const start = out.position;
    if (i > 0 && maps[i] === maps[i - 1]) out.repeat(from, to);
    else write(i);
    from = start;
    to = out.position;
  }
}

const writers: Record<Column, Writer> = {
  trace_id: text((s) => s.trace_id),
  span_id: text((s) => s.span_id),
  parent_span_id: text((s) => s.parent_span_id),
  start_time: time((s) => s.start_time_ns),
  end_time: time((s) => s.end_time_ns),
  duration_ms: (out, spans) => {
    for (const span of spans) out.float64(span.duration_ms);
  },
  service_name: text((s) => s.service_name),
  span_name: text((s) => s.span_name),
  provider: text((s) => s.provider),
  operation: text((s) => s.operation),
  request_model: text((s) => s.request_model),
  response_model: text((s) => s.response_model),
  model: text((s) => s.model),
  input_tokens: count((s) => s.input_tokens),
  output_tokens: count((s) => s.output_tokens),
  cache_read_tokens: count((s) => s.cache_read_tokens),
  cache_write_tokens: count((s) => s.cache_write_tokens),
  reasoning_tokens: count((s) => s.reasoning_tokens),
  finish_reasons: (out, spans) => {
    let total = 0;
    for (const span of spans) out.uint64((total += span.finish_reasons.length));
    for (const span of spans) for (const reason of span.finish_reasons) out.string(reason);
  },
  is_error: flag((s) => s.is_error),
  error_type: text((s) => s.error_type),
  ttft_ms: nullableFloat((s) => s.ttft_ms),
  feature: text((s) => s.feature),
  user_id: text((s) => s.user_id),
  session_id: text((s) => s.session_id),
  prompt_id: text((s) => s.prompt_id),
  prompt_version: text((s) => s.prompt_version),
  code_file_path: text((s) => s.code_file_path),
  code_line_number: (out, spans) => {
    for (const span of spans) out.uint32(span.code_line_number);
  },
  code_function_name: text((s) => s.code_function_name),
  cost_usd: nullableFloat((s) => s.cost_usd),
  input_cost_usd: nullableFloat((s) => s.input_cost_usd),
  output_cost_usd: nullableFloat((s) => s.output_cost_usd),
  unpriced: flag((s) => s.unpriced),
  price_version: text((s) => s.price_version),
  attributes: stringMap((s) => s.attributes),
  resource_attributes: stringMap((s) => s.resource_attributes),
  prompt_text: text((s) => s.prompt_text ?? ''),
  completion_text: text((s) => s.completion_text ?? ''),
};

/** A batch of spans as one Native block with the columns of `spanColumns`, in that order. */
export function spanNativeBlock(spans: readonly LlmSpan[], out = new NativeBlockWriter(spans.length * 1024 + 4096)): Buffer {
  out.header(spanColumns.length, spans.length);
  for (const column of spanColumns) {
    out.column(column, nativeTypes[column]);
    writers[column](out, spans);
  }
  return out.bytes();
}

/** `SELECT` list of the Native block's columns as the file() table function names them. */
export const spanNativeStructure = spanColumns.map((column) => `${column} ${nativeTypes[column]}`).join(', ');
