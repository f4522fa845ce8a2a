import type { CostBucketRow } from '../costs/query-cost-buckets';
import { picoToUsd, parsePicoUsd } from '../costs/usd';
import { generationMsFromSpans, spanCostDecimal, ttftCallsFromSpans } from '../rollup/span-sql';

/**
 * The figures of a set of calls that the overview shows, for a whole range
 * or one bucket. Sums are exact. Quantiles are exact when read from raw
 * spans (spanTotalsOf) and t-digest estimates when read from the rollups
 * (spanTotalsFromRollup).
 */
export interface SpanTotals {
  calls: number;
  cost_usd: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  /** Output tokens per second of call time, over calls that produced output; null without any. */
  output_tokens_per_second: number | null;
  errors: number;
  /** errors / calls; 0 without calls. */
  error_rate: number;
  /** Share of input tokens read from a prompt cache (input tokens include cache reads); null without input. */
  cache_hit_rate: number | null;
  unpriced_calls: number;
  latency_ms: { p50: number; p95: number; p99: number } | null;
  /** Time to first token over the calls that reported it; null when none did. */
  ttft_ms: { p50: number; p95: number; p99: number; calls: number } | null;
}

/**
 * The SELECT list that computes SpanTotals over deduplicated spans. Every
 * alias is prefixed `t_` so that none shadows a column of llm_spans in the
 * WHERE or GROUP BY of the same query (ClickHouse resolves aliases first).
 */
export const spanTotalsSelect = `count() AS t_calls, toString(sum(${spanCostDecimal})) AS t_cost,
  sum(input_tokens) AS t_input, sum(output_tokens) AS t_output, sum(cache_read_tokens) AS t_cache_read, sum(reasoning_tokens) AS t_reasoning,
  sumIf(output_tokens, output_tokens > 0) AS t_gen_output, ${generationMsFromSpans} AS t_gen_ms,
  countIf(is_error) AS t_errors, countIf(unpriced) AS t_unpriced,
  quantilesExact(0.5, 0.95, 0.99)(duration_ms) AS t_latency,
  ${ttftCallsFromSpans} AS t_ttft_calls, quantilesExactIf(0.5, 0.95, 0.99)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL) AS t_ttft`;

/** The llm_spans columns spanTotalsSelect reads. */
export const spanTotalsColumns = ['cost_usd', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'reasoning_tokens', 'is_error', 'unpriced', 'duration_ms', 'ttft_ms'] as const;

type Count = number | string;
export interface SpanTotalsRow {
  t_calls: Count;
  t_cost: string;
  t_input: Count;
  t_output: Count;
  t_cache_read: Count;
  t_reasoning: Count;
  t_gen_output: Count;
  t_gen_ms: Count;
  t_errors: Count;
  t_unpriced: Count;
  t_latency: Array<number | string | null>;
  t_ttft_calls: Count;
  t_ttft: Array<number | string | null>;
}

/** A row of spanTotalsSelect as SpanTotals. */
export function spanTotalsOf(row: SpanTotalsRow): SpanTotals {
  const calls = Number(row.t_calls);
  const input = Number(row.t_input);
  const genMs = Number(row.t_gen_ms);
  const ttftCalls = Number(row.t_ttft_calls);
  const quantiles = (values: Array<number | string | null>) => ({ p50: finite(values[0]), p95: finite(values[1]), p99: finite(values[2]) });
  return {
    calls,
    cost_usd: picoToUsd(parsePicoUsd(row.t_cost)),
    input_tokens: input,
    output_tokens: Number(row.t_output),
    cache_read_tokens: Number(row.t_cache_read),
    reasoning_tokens: Number(row.t_reasoning),
    output_tokens_per_second: genMs > 0 ? Number(row.t_gen_output) / (genMs / 1000) : null,
    errors: Number(row.t_errors),
    error_rate: calls > 0 ? Number(row.t_errors) / calls : 0,
    cache_hit_rate: input > 0 ? Number(row.t_cache_read) / input : null,
    unpriced_calls: Number(row.t_unpriced),
    latency_ms: calls > 0 ? quantiles(row.t_latency) : null,
    ttft_ms: ttftCalls > 0 ? { ...quantiles(row.t_ttft), calls: ttftCalls } : null,
  };
}

/** SpanTotals of a rollup bucket read with `withLatency` (sums exact, quantiles from merged t-digests). */
export function spanTotalsFromRollup(row: CostBucketRow | undefined): SpanTotals {
  if (!row || row.calls === 0) return emptySpanTotals();
  return {
    calls: row.calls,
    cost_usd: picoToUsd(row.costPico),
    input_tokens: row.inputTokens,
    output_tokens: row.outputTokens,
    cache_read_tokens: row.cacheReadTokens,
    reasoning_tokens: row.reasoningTokens,
    output_tokens_per_second: row.genDurationMsSum > 0 ? row.outputTokens / (row.genDurationMsSum / 1000) : null,
    errors: row.errors,
    error_rate: row.errors / row.calls,
    cache_hit_rate: row.inputTokens > 0 ? row.cacheReadTokens / row.inputTokens : null,
    unpriced_calls: row.unpricedCalls,
    latency_ms: { ...row.latencyMs },
    ttft_ms: row.ttftCalls > 0 ? { ...row.ttftMs, calls: row.ttftCalls } : null,
  };
}

/** The figures of no calls at all. */
export function emptySpanTotals(): SpanTotals {
  return {
    calls: 0,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    reasoning_tokens: 0,
    output_tokens_per_second: null,
    errors: 0,
    error_rate: 0,
    cache_hit_rate: null,
    unpriced_calls: 0,
    latency_ms: null,
    ttft_ms: null,
  };
}

function finite(value: number | string | null | undefined): number {
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
}
