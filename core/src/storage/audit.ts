import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from './tables';

/** An admin action for the audit log. Holds no personal data: ids, names of actions, counts. */
export interface AuditEntry {
  /** The key id that acted, or `local-cli` for a command run against the store directly. */
  actor: string;
  /** What was done, e.g. `key.create`, `key.revoke`, `silence.create`, `job.run`, `erasure.request`. */
  action: string;
  /** The object acted on: a key id, silence id, job name, erasure request id. */
  target: string;
  /** Counts or settings (e.g. `{ rows: 12 }`), stored as JSON. Never a user id, prompt or e-mail. */
  detail?: Record<string, unknown> | string;
}

export interface AuditRecord {
  at: string;
  actor: string;
  action: string;
  target: string;
  detail: string;
}

/** The actor of commands that open the store themselves, with no key. */
export const localCliActor = 'local-cli';

/** Appends one entry to the audit log (the `audit_log` table of migration 8). */
export async function recordAudit(client: ClickHouseClient, database: string, entry: AuditEntry): Promise<void> {
  const detail = entry.detail === undefined ? '' : typeof entry.detail === 'string' ? entry.detail : JSON.stringify(entry.detail);
  await client.insert({
    table: tableName(database, 'audit_log'),
    values: [{ at: (Date.now() / 1000).toFixed(3), actor: entry.actor, action: entry.action, target: entry.target, detail }],
    format: 'JSONEachRow',
    columns: ['at', 'actor', 'action', 'target', 'detail'],
  });
}

/** The latest entries, newest first. */
export async function listAudit(client: ClickHouseClient, database: string, options: { limit?: number } = {}): Promise<AuditRecord[]> {
  const result = await client.query({
    query: `SELECT toString(at) AS at, actor, action, target, detail FROM ${tableName(database, 'audit_log')} ORDER BY at DESC LIMIT {limit:UInt32}`,
    query_params: { limit: options.limit ?? 100 },
    format: 'JSONEachRow',
  });
  return result.json<AuditRecord>();
}
