import { tableName } from './tables';

/**
 * What the dashboard's overview needs beyond the cost figures, so that it can
 * read the rollups instead of every raw span: the call time of calls that
 * produced output (for tokens per second) and time to first token (the calls
 * that reported it, and a t-digest of it).
 *
 * Rollup rows written before this migration lack them, so every hour is
 * touched again: each becomes stale, readers read it raw (exact) until the
 * rollup job has recomputed it, and the daily rollup follows its hours.
 */
export function overviewRollupFigures(database: string): string[] {
  const columns = (table: 'llm_spans_hourly' | 'llm_spans_daily') =>
    `ALTER TABLE ${tableName(database, table)}
       ADD COLUMN IF NOT EXISTS gen_duration_ms_sum Float64 DEFAULT 0 AFTER duration_ms_sum,
       ADD COLUMN IF NOT EXISTS ttft_calls UInt64 DEFAULT 0 CODEC(T64, ZSTD(1)) AFTER latency_state,
       ADD COLUMN IF NOT EXISTS ttft_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64) AFTER ttft_calls`;
  return [
    columns('llm_spans_hourly'),
    columns('llm_spans_daily'),
    `INSERT INTO ${tableName(database, 'span_hours_touched')} (hour) SELECT DISTINCT hour FROM ${tableName(database, 'span_hours_touched')}`,
  ];
}
