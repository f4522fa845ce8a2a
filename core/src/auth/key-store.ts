import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '../storage/tables';
import { generateApiKey, hashSecret, newSalt, type KeyScope } from './api-key';

/** One key as stored: everything but the key itself. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  scope: KeyScope;
  salt: string;
  hash: string;
  created_at: string;
  revoked_at: string | null;
  version: number;
}

/** What `keys list` shows: no salt, no hash. */
export type ApiKeySummary = Omit<ApiKeyRecord, 'salt' | 'hash' | 'version'> & { last_used_at?: string | null };

export function summariseKey(record: ApiKeyRecord): ApiKeySummary {
  return { id: record.id, name: record.name, scope: record.scope, created_at: isoTime(record.created_at), revoked_at: record.revoked_at === null ? null : isoTime(record.revoked_at) };
}

/** ClickHouse's `2026-06-01 08:00:10.123` (UTC) as ISO 8601. */
function isoTime(text: string): string {
  return /^\d{4}-\d{2}-\d{2} /.test(text) ? `${text.replace(' ', 'T')}Z` : text;
}

const columns: [string, ...string[]] = ['id', 'name', 'scope', 'salt', 'hash', 'created_at', 'revoked_at', 'version'];

/** Every key's latest row (the table is tiny: one row per key and change). */
export async function loadApiKeys(client: ClickHouseClient, database: string): Promise<ApiKeyRecord[]> {
  const result = await client.query({
    query: `SELECT id, name, scope, salt, hash, toString(created_at) AS created_at,
              if(isNull(revoked_at), NULL, toString(revoked_at)) AS revoked_at, version
            FROM ${tableName(database, 'api_keys')} ORDER BY id, version`,
    format: 'JSONEachRow',
  });
  const latest = new Map<string, ApiKeyRecord>();
  for (const row of await result.json<ApiKeyRecord & { version: number | string }>()) {
    latest.set(row.id, { ...row, version: Number(row.version) });
  }
  return [...latest.values()].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
}

async function writeRecord(client: ClickHouseClient, database: string, record: ApiKeyRecord): Promise<void> {
  await client.insert({ table: tableName(database, 'api_keys'), values: [record], format: 'JSONEachRow', columns });
}

/** Creates a key and returns it in full: the only time it exists outside the caller's hands. */
export async function createApiKey(
  client: ClickHouseClient,
  database: string,
  request: { scope: KeyScope; name?: string },
): Promise<{ key: string; record: ApiKeyRecord }> {
  const generated = generateApiKey(request.scope);
  const salt = newSalt();
  const now = Date.now();
  const record: ApiKeyRecord = {
    id: generated.id,
    name: request.name ?? '',
    scope: request.scope,
    salt,
    hash: await hashSecret(generated.secret, salt),
    created_at: (now / 1000).toFixed(3),
    revoked_at: null,
    version: now,
  };
  await writeRecord(client, database, record);
  const [stored] = (await loadApiKeys(client, database)).filter((candidate) => candidate.id === record.id);
  return { key: generated.key, record: stored ?? record };
}

export type RevokeOutcome = { ok: true; record: ApiKeyRecord; already: boolean } | { ok: false; error: string };

/** Marks a key revoked by writing a newer row; its hash stays, so the id cannot be reused. */
export async function revokeApiKey(client: ClickHouseClient, database: string, id: string): Promise<RevokeOutcome> {
  const current = (await loadApiKeys(client, database)).find((record) => record.id === id);
  if (!current) return { ok: false, error: `no key with id "${id}"` };
  if (current.revoked_at) return { ok: true, record: current, already: true };
  const now = Date.now();
  await writeRecord(client, database, { ...current, created_at: current.created_at, revoked_at: (now / 1000).toFixed(3), version: Math.max(now, current.version + 1) });
  const revoked = (await loadApiKeys(client, database)).find((record) => record.id === id) ?? current;
  return { ok: true, record: revoked, already: false };
}
