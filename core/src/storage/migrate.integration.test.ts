import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrations } from './migrate';
import { openTestStore, selectRows, type TestStore } from './test-store';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('migrate_test');
});
afterAll(async () => {
  await store.close();
});

describe('migrate', () => {
  it('has applied every migration once, and a second run applies nothing', async () => {
    // openTestStore already migrated once.
    expect(await migrate(store.client, store.database)).toEqual([]);
    expect(await migrate(store.client, store.database)).toEqual([]);
    const ledger = await selectRows<{ version: number; name: string }>(
      store.client,
      'SELECT version, name FROM migrate_test.schema_migrations ORDER BY version',
    );
    expect(ledger).toEqual(migrations.map(({ version, name }) => ({ version, name })));
  });

  it('creates the tables with their engines', async () => {
    const tables = await selectRows<{ name: string; engine: string }>(
      store.client,
      'SELECT name, engine FROM system.tables WHERE database = {db:String} ORDER BY name',
      { db: store.database },
    );
    expect(tables).toEqual([
      { name: 'alert_instances', engine: 'ReplacingMergeTree' },
      { name: 'alert_notifications', engine: 'MergeTree' },
      { name: 'api_keys', engine: 'ReplacingMergeTree' },
      { name: 'audit_log', engine: 'MergeTree' },
      { name: 'daily_snapshots', engine: 'MergeTree' },
      { name: 'digests', engine: 'ReplacingMergeTree' },
      { name: 'drift_tests', engine: 'ReplacingMergeTree' },
      { name: 'erasure_log', engine: 'MergeTree' },
      { name: 'feedback', engine: 'ReplacingMergeTree' },
      { name: 'job_runs', engine: 'MergeTree' },
      { name: 'llm_spans', engine: 'ReplacingMergeTree' },
      { name: 'llm_spans_daily', engine: 'MergeTree' },
      { name: 'llm_spans_hourly', engine: 'ReplacingMergeTree' },
      { name: 'price_overrides', engine: 'ReplacingMergeTree' },
      { name: 'rollup_snapshots', engine: 'ReplacingMergeTree' },
      { name: 'satisfaction', engine: 'ReplacingMergeTree' },
      { name: 'schema_migrations', engine: 'ReplacingMergeTree' },
      { name: 'silences', engine: 'ReplacingMergeTree' },
      { name: 'span_hours_touched', engine: 'ReplacingMergeTree' },
    ]);
  });

  it('applies a new migration once and records it', async () => {
    const next = [
      ...migrations,
      { version: 99, name: 'probe', statements: (db: string) => [`CREATE TABLE IF NOT EXISTS ${db}.probe (x UInt8) ENGINE = MergeTree ORDER BY x`] },
    ];
    expect(await migrate(store.client, store.database, next)).toEqual([99]);
    expect(await migrate(store.client, store.database, next)).toEqual([]);
    const rows = await selectRows<{ n: number | string }>(store.client, 'SELECT count() AS n FROM migrate_test.schema_migrations WHERE version = 99');
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('refuses an unordered migration list and a bad database name', async () => {
    const unordered = [migrations[0]!, { ...migrations[0]!, name: 'again' }];
    await expect(migrate(store.client, store.database, unordered)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
    await expect(migrate(store.client, 'x; DROP DATABASE migrate_test')).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
  });
});
