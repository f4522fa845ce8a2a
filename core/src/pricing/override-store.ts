import type { ClickHouseClient } from '@clickhouse/client';
import type { CustomPrice } from '../config/schema';
import { tableName } from '../storage/tables';
import { priceRates, type PriceOverride } from './price-overrides';

interface OverrideRow {
  model: string;
  provider: string;
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok: number | null;
  cache_write_per_mtok: number | null;
  reasoning_per_mtok: number | null;
  per_call_usd: number;
  deleted: number;
  updated_at: string;
  version: number | string;
}

const columns: [string, ...string[]] = [
  'model', 'provider', 'input_per_mtok', 'output_per_mtok', 'cache_read_per_mtok', 'cache_write_per_mtok', 'reasoning_per_mtok', 'per_call_usd', 'deleted', 'updated_at', 'version',
];

/** Which price: a model, for one provider or (none) for any. */
export interface PriceKey {
  model: string;
  provider?: string | undefined;
}

/**
 * Every override in force: each (model, provider) pair's latest row, unless
 * that row is a tombstone. The table is tiny, so it is read whole, without
 * FINAL, and the latest row picked here.
 */
export async function loadPriceOverrides(client: ClickHouseClient, database: string): Promise<PriceOverride[]> {
  const latest = await latestRows(client, database);
  return [...latest.values()]
    .filter((row) => row.deleted === 0)
    .map(toOverride)
    .sort((a, b) => a.model.localeCompare(b.model) || (a.provider ?? '').localeCompare(b.provider ?? ''));
}

/** Stores a price for a model (and provider), replacing the one set before; returns it as stored. */
export async function storePriceOverride(client: ClickHouseClient, database: string, price: CustomPrice, now = Date.now()): Promise<PriceOverride> {
  const version = nextVersion(await latestRows(client, database), now);
  const row: OverrideRow = {
    model: price.model,
    provider: price.provider ?? '',
    ...priceRates(price),
    deleted: 0,
    updated_at: (now / 1000).toFixed(3),
    version,
  };
  await client.insert({ table: tableName(database, 'price_overrides'), values: [row], format: 'JSONEachRow', columns });
  return toOverride({ ...row, updated_at: new Date(now).toISOString() });
}

/** Deletes the override of a model (and provider) with a tombstone; returns the override it removed, or undefined when there was none. */
export async function deletePriceOverride(client: ClickHouseClient, database: string, key: PriceKey, now = Date.now()): Promise<PriceOverride | undefined> {
  const latest = await latestRows(client, database);
  const current = latest.get(rowKey(key.model, key.provider ?? ''));
  if (!current || current.deleted !== 0) return undefined;
  const tombstone: OverrideRow = { ...current, deleted: 1, updated_at: (now / 1000).toFixed(3), version: nextVersion(latest, now) };
  await client.insert({ table: tableName(database, 'price_overrides'), values: [tombstone], format: 'JSONEachRow', columns });
  return toOverride(current);
}

async function latestRows(client: ClickHouseClient, database: string): Promise<Map<string, OverrideRow>> {
  const result = await client.query({
    query: `SELECT model, provider, input_per_mtok, output_per_mtok, cache_read_per_mtok, cache_write_per_mtok, reasoning_per_mtok,
              per_call_usd, deleted, toString(updated_at) AS updated_at, version
            FROM ${tableName(database, 'price_overrides')}`,
    format: 'JSONEachRow',
  });
  const latest = new Map<string, OverrideRow>();
  for (const row of await result.json<OverrideRow>()) {
    const key = rowKey(row.model, row.provider);
    const seen = latest.get(key);
    if (!seen || Number(row.version) > Number(seen.version)) latest.set(key, { ...row, version: Number(row.version), deleted: Number(row.deleted) });
  }
  return latest;
}

/** Milliseconds now, or one more than any version in the table (tombstones included): versions never repeat. */
function nextVersion(latest: Map<string, OverrideRow>, now: number): number {
  let highest = 0;
  for (const row of latest.values()) highest = Math.max(highest, Number(row.version));
  return Math.max(Math.floor(now), highest + 1);
}

function rowKey(model: string, provider: string): string {
  return `${model}\u0000${provider}`;
}

function toOverride(row: OverrideRow): PriceOverride {
  return {
    model: row.model,
    ...(row.provider ? { provider: row.provider } : {}),
    input_per_mtok: Number(row.input_per_mtok),
    output_per_mtok: Number(row.output_per_mtok),
    ...(row.cache_read_per_mtok === null ? {} : { cache_read_per_mtok: Number(row.cache_read_per_mtok) }),
    ...(row.cache_write_per_mtok === null ? {} : { cache_write_per_mtok: Number(row.cache_write_per_mtok) }),
    ...(row.reasoning_per_mtok === null ? {} : { reasoning_per_mtok: Number(row.reasoning_per_mtok) }),
    per_call_usd: Number(row.per_call_usd),
    updated_at: isoTime(row.updated_at),
    version: Number(row.version),
  };
}

/** ClickHouse's `2026-06-01 08:00:10.123` (UTC) as ISO 8601. */
function isoTime(text: string): string {
  return /^\d{4}-\d{2}-\d{2} /.test(text) ? `${text.replace(' ', 'T')}Z` : text;
}
