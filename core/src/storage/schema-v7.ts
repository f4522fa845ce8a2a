import { tableName } from './tables';

/**
 * The record of erasure requests (GDPR art. 17): who asked, when, when it was
 * done and how many rows went, but nothing about whom it concerned, so the
 * record itself holds no personal data.
 */
export function erasureLog(database: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'erasure_log')} (
      request_id UUID,
      requested_by String,
      requested_at DateTime64(3, 'UTC'),
      completed_at DateTime64(3, 'UTC'),
      spans_deleted UInt64,
      feedback_deleted UInt64,
      alert_rows_deleted UInt64,
      hours_rebuilt UInt32,
      days_rebuilt UInt32
    )
    ENGINE = MergeTree
    ORDER BY (requested_at, request_id)`,
  ];
}
