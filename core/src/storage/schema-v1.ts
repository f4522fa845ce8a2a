import { tableName } from './tables';

/**
 * The first schema. Every statement is `IF NOT EXISTS`, so a migration that
 * died half-way can simply run again.
 */
export function initialSchema(database: string): string[] {
  return [
    // One row per LLM call. ReplacingMergeTree(received_at) folds a span that
    // was delivered twice into its latest copy when parts merge; readers never
    // wait for that and dedupe with LIMIT 1 BY trace_id, span_id. The sorting
    // key starts with the hour so that time-range reads, the rollup and the
    // dedup of one hour touch only that hour's granules.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'llm_spans')} (
      trace_id String CODEC(ZSTD(1)),
      span_id String CODEC(ZSTD(1)),
      parent_span_id String CODEC(ZSTD(1)),
      start_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
      end_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
      duration_ms Float64 CODEC(ZSTD(1)),
      service_name LowCardinality(String),
      span_name LowCardinality(String),
      provider LowCardinality(String),
      operation LowCardinality(String),
      request_model LowCardinality(String),
      response_model LowCardinality(String),
      model LowCardinality(String),
      input_tokens UInt64 CODEC(T64, ZSTD(1)),
      output_tokens UInt64 CODEC(T64, ZSTD(1)),
      cache_read_tokens UInt64 CODEC(T64, ZSTD(1)),
      cache_write_tokens UInt64 CODEC(T64, ZSTD(1)),
      reasoning_tokens UInt64 CODEC(T64, ZSTD(1)),
      finish_reasons Array(LowCardinality(String)),
      is_error Bool,
      error_type LowCardinality(String),
      ttft_ms Nullable(Float64) CODEC(ZSTD(1)),
      feature LowCardinality(String),
      user_id String CODEC(ZSTD(1)),
      session_id String CODEC(ZSTD(1)),
      prompt_id LowCardinality(String),
      prompt_version LowCardinality(String),
      code_file_path LowCardinality(String),
      code_line_number UInt32 CODEC(T64, ZSTD(1)),
      code_function_name LowCardinality(String),
      cost_usd Nullable(Float64) CODEC(ZSTD(1)),
      input_cost_usd Nullable(Float64) CODEC(ZSTD(1)),
      output_cost_usd Nullable(Float64) CODEC(ZSTD(1)),
      unpriced Bool,
      price_version LowCardinality(String),
      attributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
      resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
      received_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(Delta, ZSTD(1)),
      INDEX idx_feature feature TYPE bloom_filter(0.01) GRANULARITY 4,
      INDEX idx_model model TYPE set(256) GRANULARITY 4,
      INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 4
    )
    ENGINE = ReplacingMergeTree(received_at)
    PARTITION BY toYYYYMM(start_time)
    ORDER BY (toStartOfHour(start_time), trace_id, span_id)`,

    // Thumbs up/down on a call. A retried submission carries the same
    // feedback_id and folds into one row; readers dedupe by feedback_id.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'feedback')} (
      feedback_id String,
      trace_id String CODEC(ZSTD(1)),
      span_id String CODEC(ZSTD(1)),
      prompt_id LowCardinality(String),
      user_id String CODEC(ZSTD(1)),
      score Int8,
      comment String CODEC(ZSTD(3)),
      created_at DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
      received_at DateTime64(3, 'UTC') DEFAULT now64(3) CODEC(Delta, ZSTD(1)),
      CONSTRAINT score_is_a_vote CHECK score IN (-1, 1)
    )
    ENGINE = ReplacingMergeTree(received_at)
    PARTITION BY toYYYYMM(created_at)
    ORDER BY feedback_id`,

    // The exact hourly rollup, recomputed whole per hour by the rollup job:
    // one row per hour, dimension (feature, user, model, prompt, callsite) and
    // key of that dimension. A row per dimension rather than one per
    // combination of all dimensions keeps it small: a 30-day read by feature
    // touches 720 × (number of features) rows, however many users there are.
    // Each recomputation writes rows under a new snapshot_version; readers use
    // only the version rollup_snapshots records as complete, so rows of older
    // versions (and groups that vanished) are ignored whether or not merges
    // have happened. cost_usd is a Decimal so that sums are exact and do not
    // depend on summation order: the rollup and the raw path agree to the digit.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'llm_spans_hourly')} (
      dimension LowCardinality(String),
      hour DateTime('UTC'),
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
    ENGINE = ReplacingMergeTree(snapshot_version)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (dimension, hour, key)`,

    // The span writer adds one row per distinct hour per batch, after the
    // batch's spans are stored; touched_at is the server clock at that moment
    // (microseconds, so a touch written after a rollup read its hour's raw
    // rows is strictly newer than anything that rollup saw).
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'span_hours_touched')} (
      hour DateTime('UTC'),
      touched_at DateTime64(6, 'UTC') DEFAULT now64(6)
    )
    ENGINE = ReplacingMergeTree(touched_at)
    PARTITION BY toYYYYMM(hour)
    ORDER BY hour`,

    // Bookkeeping of rollup runs per hour. A run first records its version as
    // started (complete = 0), then writes the hourly rows, then records it as
    // complete with the newest touch it had seen before reading raw spans.
    // The latest row by state_rank is the hour's state: a started-but-not-
    // complete latest row (a run in progress, or one that crashed) makes the
    // hour stale, which also guards readers against merges that replace the
    // recorded version's rows with a newer, unrecorded version.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'rollup_snapshots')} (
      hour DateTime('UTC'),
      snapshot_version UInt64,
      complete UInt8,
      raw_touched_at DateTime64(6, 'UTC'),
      computed_at DateTime64(3, 'UTC'),
      state_rank UInt64 MATERIALIZED snapshot_version * 2 + complete
    )
    ENGINE = ReplacingMergeTree(state_rank)
    PARTITION BY toYYYYMM(hour)
    ORDER BY hour`,
  ];
}
