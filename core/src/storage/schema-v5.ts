import { tableName } from './tables';

/**
 * Daily rollups: each day's rows are the sums of its hours' rollup rows, for
 * the exact hourly snapshot versions named in daily_snapshots. A reader uses a
 * day only while those are still the day's current hourly versions, so a day
 * read from here gives the same figures as its 24 hours would. Rows are never
 * replaced (a new state of a day is a new version), hence plain MergeTree.
 */
export function dailyRollup(database: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'llm_spans_daily')} (
      dimension LowCardinality(String),
      day Date,
      key String,
      snapshot_version UInt64,
      calls UInt64 CODEC(T64, ZSTD(1)),
      cost_usd Decimal128(12),
      unpriced_calls UInt64 CODEC(T64, ZSTD(1)),
      input_tokens UInt64 CODEC(T64, ZSTD(1)),
      output_tokens UInt64 CODEC(T64, ZSTD(1)),
      cache_read_tokens UInt64 CODEC(T64, ZSTD(1)),
      cache_write_tokens UInt64 CODEC(T64, ZSTD(1)),
      reasoning_tokens UInt64 CODEC(T64, ZSTD(1)),
      errors UInt64 CODEC(T64, ZSTD(1)),
      duration_ms_sum Float64,
      latency_state AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64)
    )
    ENGINE = MergeTree
    ORDER BY (dimension, day, key, snapshot_version)`,

    // The hourly versions a daily version was built from, as "hour:version,…"
    // over the day's touched hours in order.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'daily_snapshots')} (
      day Date,
      snapshot_version UInt64,
      hour_versions String,
      computed_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (day, snapshot_version)`,
  ];
}
