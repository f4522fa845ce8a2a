import { tableName } from './tables';

/**
 * The scheduled jobs' tables. Each result row is keyed by the job's window
 * and what it describes, in a ReplacingMergeTree versioned by computed_at, so
 * running a window again (a retry, a second replica, `jobs run`) replaces its
 * rows instead of adding to them. The tables are small (one row per group per
 * window), so readers may use FINAL.
 */
export function analyticsJobs(database: string): string[] {
  return [
    // One row per run of a job: `jobs list`, and the record a retry looks at.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'job_runs')} (
      run_id String,
      job LowCardinality(String),
      window_start DateTime('UTC'),
      window_end DateTime('UTC'),
      started_at DateTime64(3, 'UTC'),
      finished_at DateTime64(3, 'UTC'),
      duration_ms UInt32,
      outcome LowCardinality(String),
      rows UInt64,
      detail String CODEC(ZSTD(3))
    )
    ENGINE = MergeTree
    ORDER BY (job, started_at)
    TTL toDateTime(started_at) + INTERVAL 90 DAY`,

    // Satisfaction per feature, prompt (id@version) and model over a window.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'satisfaction')} (
      window_start DateTime('UTC'),
      window_end DateTime('UTC'),
      dimension LowCardinality(String),
      key String,
      votes UInt64,
      positive UInt64,
      rate Float64,
      wilson_low Float64,
      wilson_high Float64,
      calls UInt64,
      cost_usd Decimal128(12),
      cost_per_positive_usd Nullable(Float64),
      computed_at DateTime64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree(computed_at)
    ORDER BY (window_end, dimension, key)`,

    // Every KS test of every drift run, drifted or not.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'drift_tests')} (
      window_end DateTime('UTC'),
      current_start DateTime('UTC'),
      current_end DateTime('UTC'),
      reference_start DateTime('UTC'),
      reference_end DateTime('UTC'),
      subject_kind LowCardinality(String),
      subject String,
      metric LowCardinality(String),
      n_current UInt32,
      n_reference UInt32,
      d Float64,
      p_value Float64,
      p_adjusted Float64,
      method LowCardinality(String),
      drifted UInt8,
      computed_at DateTime64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree(computed_at)
    ORDER BY (window_end, subject_kind, subject, metric)`,

    // One digest per day, as JSON (findings and recommendations).
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'digests')} (
      day Date,
      body String CODEC(ZSTD(3)),
      computed_at DateTime64(3, 'UTC')
    )
    ENGINE = ReplacingMergeTree(computed_at)
    ORDER BY day`,
  ];
}
