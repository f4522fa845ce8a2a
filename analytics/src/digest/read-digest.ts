import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import type { Digest } from './digest-findings';

/** The digest of `day` (YYYY-MM-DD), or the latest one; null when there is none. */
export async function readDigest(client: ClickHouseClient, database: string, day?: string): Promise<Digest | null> {
  const table = tableName(database, 'digests');
  const result = await client.query({
    query: `SELECT body FROM ${table} FINAL ${day ? 'WHERE day = {day:Date}' : ''} ORDER BY day DESC LIMIT 1`,
    query_params: day ? { day } : {},
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ body: string }>();
  return row ? (JSON.parse(row.body) as Digest) : null;
}

/** The digest as a few lines of text, for the CLI. */
export function digestText(digest: Digest): string {
  const lines = [`Spanlens digest for ${digest.day}`];
  for (const finding of digest.findings) lines.push(`- ${finding.message}\n  → ${finding.recommendation}`);
  return `${lines.join('\n')}\n`;
}
