import { tableName } from './tables';

/**
 * The alert engine's state. Instances and silences are small tables read
 * whole at each evaluation; each write carries a higher version, so the
 * latest state wins after a restart or on another replica. An instance is
 * written while it is pending, firing, without data or in error, and once
 * when it turns inactive; readers forget one that has been inactive for a
 * day. No TTL: a claim must outlive any replica that could still claim it.
 */
export function alertState(database: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'alert_instances')} (
      fingerprint String,
      rule String,
      labels Map(String, String),
      severity LowCardinality(String),
      state LowCardinality(String),
      value Nullable(Float64),
      baseline Nullable(Float64),
      active_since Nullable(DateTime64(3, 'UTC')),
      firing_since Nullable(DateTime64(3, 'UTC')),
      cleared_since Nullable(DateTime64(3, 'UTC')),
      resolved_at Nullable(DateTime64(3, 'UTC')),
      last_evaluated DateTime64(3, 'UTC'),
      last_notified Nullable(DateTime64(3, 'UTC')),
      summary String,
      description String,
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY fingerprint`,

    // Every notification: a claim row before delivery (so that of several
    // replicas only the first claimant of a notification key sends it), then
    // one row per delivery attempt with its outcome.
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'alert_notifications')} (
      notification_key String,
      fingerprint String,
      rule String,
      kind LowCardinality(String),
      channel String,
      replica String,
      event LowCardinality(String),
      attempt UInt16,
      status_code UInt16,
      detail String,
      at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY (notification_key, at)`,

    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'silences')} (
      id String,
      matchers String,
      starts_at DateTime64(3, 'UTC'),
      ends_at DateTime64(3, 'UTC'),
      created_by String,
      comment String,
      deleted UInt8,
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY id`,
  ];
}
