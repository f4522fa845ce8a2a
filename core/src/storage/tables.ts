import { StorageError } from './storage-error';

/** The tables Spanlens keeps in its database; DDL lives in ./schema-v1. */
export const spanlensTables = {
  spans: 'llm_spans',
  feedback: 'feedback',
  spansHourly: 'llm_spans_hourly',
  spanHoursTouched: 'span_hours_touched',
  rollupSnapshots: 'rollup_snapshots',
  schemaMigrations: 'schema_migrations',
  jobRuns: 'job_runs',
  satisfaction: 'satisfaction',
  driftTests: 'drift_tests',
  digests: 'digests',
  alertInstances: 'alert_instances',
  alertNotifications: 'alert_notifications',
  silences: 'silences',
  spansDaily: 'llm_spans_daily',
  dailySnapshots: 'daily_snapshots',
  erasureLog: 'erasure_log',
  apiKeys: 'api_keys',
  auditLog: 'audit_log',
  priceOverrides: 'price_overrides',
} as const;

export type SpanlensTable = (typeof spanlensTables)[keyof typeof spanlensTables];

const identifierPattern = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `database.table` for SQL text. Identifiers cannot be bound as `{name:Type}`
 * in DDL or `INSERT INTO`, so the database name (from validated config) is
 * checked again here before it is ever placed into SQL.
 */
export function tableName(database: string, table: SpanlensTable): string {
  return `${quotedDatabase(database)}.${table}`;
}

export function quotedDatabase(database: string): string {
  if (!identifierPattern.test(database)) {
    throw new StorageError('INVALID_IDENTIFIER', `storage.database "${database}" must match ${identifierPattern.source}`);
  }
  return database;
}
