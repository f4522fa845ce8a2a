import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import type { Silence } from '../model';
import { dateTime64Text } from './clickhouse-time';
import { validateSilence, type SilenceInput } from './silence-validation';

interface SilenceRow {
  id: string;
  matchers: string;
  starts_at: string;
  ends_at: string;
  created_by: string;
  comment: string;
  deleted: number;
  version: string;
}

async function latestRows(client: ClickHouseClient, database: string, id?: string): Promise<SilenceRow[]> {
  const result = await client.query({
    query: `SELECT id, matchers, toUnixTimestamp64Milli(starts_at) AS starts_at, toUnixTimestamp64Milli(ends_at) AS ends_at,
                   created_by, comment, deleted, version
            FROM ${tableName(database, 'silences')}
            ${id === undefined ? '' : 'WHERE id = {id:String}'}
            ORDER BY id, version DESC
            LIMIT 1 BY id`,
    query_params: id === undefined ? {} : { id },
    format: 'JSONEachRow',
  });
  return result.json<SilenceRow>();
}

function toSilence(row: SilenceRow): Silence {
  return {
    id: row.id,
    matchers: JSON.parse(row.matchers) as Silence['matchers'],
    starts_at: Number(row.starts_at),
    ends_at: Number(row.ends_at),
    created_by: row.created_by,
    comment: row.comment,
  };
}

async function writeSilence(client: ClickHouseClient, database: string, silence: Silence, deleted: boolean, version: number): Promise<void> {
  await client.insert({
    table: tableName(database, 'silences'),
    values: [
      {
        id: silence.id,
        matchers: JSON.stringify(silence.matchers),
        starts_at: dateTime64Text(silence.starts_at),
        ends_at: dateTime64Text(silence.ends_at),
        created_by: silence.created_by,
        comment: silence.comment,
        deleted: deleted ? 1 : 0,
        version,
      },
    ],
    format: 'JSONEachRow',
  });
}

/** Validates and stores a silence; an invalid one is an expected failure, returned as a value. */
export async function createSilence(
  client: ClickHouseClient,
  database: string,
  input: SilenceInput,
  now: number,
): Promise<{ ok: true; silence: Silence } | { ok: false; error: string }> {
  const check = validateSilence(input, now);
  if (!check.ok) return check;
  const silence: Silence = { id: input.id ?? randomUUID(), ...check.silence };
  // Replacing a silence by id must outrank its earlier versions even within one millisecond.
  const [current] = input.id === undefined ? [] : await latestRows(client, database, input.id);
  await writeSilence(client, database, silence, false, Math.max(now, current ? Number(current.version) + 1 : 0));
  return { ok: true, silence };
}

/** Every silence not deleted, active, pending and expired alike (see `silenceStatus`), newest start first. */
export async function listSilences(client: ClickHouseClient, database: string): Promise<Silence[]> {
  const rows = await latestRows(client, database);
  return rows
    .filter((row) => Number(row.deleted) === 0)
    .map(toSilence)
    .sort((a, b) => b.starts_at - a.starts_at || a.id.localeCompare(b.id));
}

/** Deletes a silence by writing a newer version marked deleted; false when there was none to delete. */
export async function deleteSilence(client: ClickHouseClient, database: string, id: string, now: number): Promise<boolean> {
  const [current] = await latestRows(client, database, id);
  if (!current || Number(current.deleted) !== 0) return false;
  await writeSilence(client, database, toSilence(current), true, Math.max(now, Number(current.version) + 1));
  return true;
}
