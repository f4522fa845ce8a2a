import { tableName } from './tables';

/**
 * API keys and the audit log of admin actions.
 *
 * `api_keys` holds only what verifies a key, never the key: a per-key salt
 * and the scrypt hash of the secret part. Each change (create, revoke) is a
 * new row with a higher version; readers take the latest row per id. The
 * table is tiny (one row per key and change) and is read whole.
 *
 * `audit_log` records who did what to which object and when; `actor` is a key
 * id or `local-cli`, `target` an object id (key id, silence id, job name,
 * erasure request id), and `detail` counts or settings — never personal data,
 * so that erasing a person leaves the record of the erasure intact.
 */
export function apiKeysAndAudit(database: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'api_keys')} (
      id String,
      name String,
      scope LowCardinality(String),
      salt String,
      hash String,
      created_at DateTime64(3, 'UTC'),
      revoked_at Nullable(DateTime64(3, 'UTC')),
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY id`,

    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'audit_log')} (
      at DateTime64(3, 'UTC'),
      actor String,
      action LowCardinality(String),
      target String,
      detail String
    )
    ENGINE = MergeTree
    ORDER BY at`,
  ];
}
