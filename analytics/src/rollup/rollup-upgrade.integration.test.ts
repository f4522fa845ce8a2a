import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSpans, migrate, migrations, openClickHouse } from '@spanlens/core';
import type { ClickHouseClient } from '@clickhouse/client';
import { queryOverview } from '../overview/query-overview';
import { readFreshHours } from './hour-states';
import { refreshRollup } from './refresh-rollup';
import { spanAt } from './test-store';

// A store rolled up before migration 9 has no generation time or time to
// first token in its rollups. Upgrading must not let the overview read those
// rows as zeros: every hour turns stale (read raw, exact) until rebuilt.

const DATABASE = 'upgrade_test';
const FROM = new Date('2026-06-01T08:00:00Z');
const TO = new Date('2026-06-01T10:00:00Z');
const minute = (m: number) => new Date(FROM.getTime() + m * 60_000);
let dataDir: string;
let client: ClickHouseClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'spanlens-upgrade-'));
  client = await openClickHouse({ data_dir: dataDir, database: DATABASE, clickhouse: { user: 'default', password: '' } });
  await migrate(client, DATABASE, migrations.filter((migration) => migration.version < 9));
  await insertSpans(client, DATABASE, [
    spanAt(minute(5), { feature: 'search', output_tokens: 100, duration_ms: 1000, ttft_ms: 250 }),
    spanAt(minute(65), { feature: 'search', output_tokens: 300, duration_ms: 3000, ttft_ms: 250 }),
  ]);
  // Rollup rows as a store rolled up before migration 9 holds them: this
  // code writes the new columns, so they are added first and then emptied.
  const migration9 = migrations.find((migration) => migration.version === 9)!;
  for (const statement of migration9.statements(DATABASE)) if (typeof statement === 'string' && statement.startsWith('ALTER')) await client.command({ query: statement });
  expect((await refreshRollup(client, DATABASE, { now: new Date('2026-06-02T00:00:00Z') })).hoursRefreshed).toBe(2);
  await client.command({
    query: `ALTER TABLE ${DATABASE}.llm_spans_hourly UPDATE gen_duration_ms_sum = 0, ttft_calls = 0,
              ttft_state = arrayReduce('quantilesTDigestState(0.5, 0.95, 0.99)', emptyArrayFloat64()) WHERE 1`,
    clickhouse_settings: { mutations_sync: '2' },
  });
});
afterAll(async () => {
  await client.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('upgrading a rolled-up store to migration 9', () => {
  it('reads every hour raw until the rollup has rebuilt it with the new figures', async () => {
    const hours = { from: FROM.getTime() / 1000, to: TO.getTime() / 1000 };
    expect((await readFreshHours(client, DATABASE, hours)).size).toBe(2);
    // Read from those rows, the overview would lose its time to first token.
    expect((await queryOverview(client, DATABASE, { from: FROM, to: TO, filters: {}, now: TO })).current.ttft_ms).toBeNull();
    expect(await migrate(client, DATABASE, migrations.filter((migration) => migration.version <= 9))).toEqual([9]);
    expect((await readFreshHours(client, DATABASE, hours)).size).toBe(0);

    const expected = { calls: 2, output_tokens_per_second: 400 / 4, ttft_ms: { p50: 250, p95: 250, p99: 250, calls: 2 } };
    const stale = (await queryOverview(client, DATABASE, { from: FROM, to: TO, filters: {}, now: TO })).current;
    expect(stale).toMatchObject(expected);

    expect((await refreshRollup(client, DATABASE, { now: new Date('2026-06-02T00:00:00Z') })).hoursRefreshed).toBe(2);
    expect((await readFreshHours(client, DATABASE, hours)).size).toBe(2);
    const rebuilt = (await queryOverview(client, DATABASE, { from: FROM, to: TO, filters: {}, now: TO })).current;
    expect(rebuilt).toMatchObject(expected);
  });
});
