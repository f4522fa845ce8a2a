import { tableName } from './tables';

/**
 * An erasure also deletes the satisfaction windows, drift runs and digests that
 * counted the user (see analytics' eraseUser); the log records how many rows
 * went, as it does for spans and feedback.
 */
export function erasureAggregates(database: string): string[] {
  return [`ALTER TABLE ${tableName(database, 'erasure_log')} ADD COLUMN IF NOT EXISTS aggregate_rows_deleted UInt64 DEFAULT 0`];
}
