import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, migrations } from './migrate';
import { insertSpans } from './insert-spans';
import { openTestStore, selectRows, type TestStore } from './test-store';
import { makeSpan } from './test-spans';

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

  it('runs a statement that needs a MergeTree setting only where the store has it', async () => {
    const next = [
      ...migrations,
      {
        version: 100,
        name: 'settings_probe',
        statements: (db: string) => [
          `CREATE TABLE IF NOT EXISTS ${db}.settings_probe (x UInt8) ENGINE = MergeTree ORDER BY x`,
          { query: `ALTER TABLE ${db}.settings_probe MODIFY SETTING no_such_setting_anywhere = 1`, onlyWithMergeTreeSetting: 'no_such_setting_anywhere' },
          { query: `ALTER TABLE ${db}.settings_probe MODIFY SETTING parts_to_delay_insert = 500`, onlyWithMergeTreeSetting: 'parts_to_delay_insert' },
        ],
      },
    ];
    expect(await migrate(store.client, store.database, next)).toEqual([100]);
    const [table] = await selectRows<{ engine_full: string }>(store.client, "SELECT engine_full FROM system.tables WHERE database = 'migrate_test' AND name = 'settings_probe'");
    expect(table?.engine_full).toContain('parts_to_delay_insert = 500');
    expect(table?.engine_full).not.toContain('no_such_setting_anywhere');
  });

  it('makes spans cheaper to merge (version 12) without losing or altering stored spans', async () => {
    const db = 'migrate_merge_cost_test';
    const before = migrations.filter((migration) => migration.version < 12);
    expect(await migrate(store.client, db, before)).toEqual(before.map((migration) => migration.version));
    await insertSpans(store.client, db, [
      makeSpan({ trace_id: 'c0dec0000000000000000000000000a1', span_id: '00000000000000a1', input_tokens: 1234, attributes: { 'gen_ai.request.temperature': '0.7' } }),
      makeSpan({ trace_id: 'c0dec0000000000000000000000000a2', span_id: '00000000000000a2', output_tokens: 77, code_line_number: 42 }),
    ]);
    const codecs = () =>
      selectRows<{ name: string; compression_codec: string }>(
        store.client,
        `SELECT name, compression_codec FROM system.columns WHERE database = {db:String} AND table = 'llm_spans'
           AND name IN ('start_time', 'input_tokens', 'attributes', 'received_at', 'prompt_text', 'trace_id') ORDER BY name`,
        { db },
      );
    const engine = async () => (await selectRows<{ engine_full: string }>(store.client, `SELECT engine_full FROM system.tables WHERE database = {db:String} AND name = 'llm_spans'`, { db }))[0]?.engine_full;
    expect(await codecs()).toEqual([
      { name: 'attributes', compression_codec: 'CODEC(ZSTD(3))' },
      { name: 'input_tokens', compression_codec: 'CODEC(T64, ZSTD(1))' },
      { name: 'prompt_text', compression_codec: 'CODEC(ZSTD(3))' },
      { name: 'received_at', compression_codec: 'CODEC(Delta(8), ZSTD(1))' },
      { name: 'start_time', compression_codec: 'CODEC(Delta(8), ZSTD(1))' },
      { name: 'trace_id', compression_codec: 'CODEC(ZSTD(1))' },
    ]);
    expect(await engine()).not.toContain('merge_selector_base');

    expect(await migrate(store.client, db)).toEqual([12]);
    expect(await codecs()).toEqual([
      { name: 'attributes', compression_codec: 'CODEC(ZSTD(1))' },
      { name: 'input_tokens', compression_codec: 'CODEC(ZSTD(1))' },
      { name: 'prompt_text', compression_codec: 'CODEC(ZSTD(3))' },
      { name: 'received_at', compression_codec: 'CODEC(ZSTD(1))' },
      { name: 'start_time', compression_codec: 'CODEC(ZSTD(1))' },
      { name: 'trace_id', compression_codec: 'CODEC(ZSTD(1))' },
    ]);
    expect(await engine()).toContain('merge_selector_base = 10');
    await insertSpans(store.client, db, [makeSpan({ trace_id: 'c0dec0000000000000000000000000a3', span_id: '00000000000000a3', input_tokens: 5 })]);
    // Parts written before and after, merged into one.
    await store.client.command({ query: `OPTIMIZE TABLE ${db}.llm_spans FINAL` });
    const stored = await selectRows<{ span_id: string; input_tokens: string; output_tokens: string; code_line_number: number; temperature: string; received: number }>(
      store.client,
      `SELECT span_id, input_tokens, output_tokens, code_line_number, attributes['gen_ai.request.temperature'] AS temperature, received_at > now64(3) - INTERVAL 1 HOUR AS received
         FROM ${db}.llm_spans ORDER BY span_id`,
    );
    // makeSpan's defaults: 812 input and 164 output tokens, line 48, temperature 0.2.
    expect(stored.map((row) => [row.span_id, Number(row.input_tokens), Number(row.output_tokens), row.code_line_number, row.temperature, row.received])).toEqual([
      ['00000000000000a1', 1234, 164, 48, '0.7', 1],
      ['00000000000000a2', 812, 77, 42, '0.2', 1],
      ['00000000000000a3', 5, 164, 48, '0.2', 1],
    ]);
  });

  it('refuses an unordered migration list and a bad database name', async () => {
    const unordered = [migrations[0]!, { ...migrations[0]!, name: 'again' }];
    await expect(migrate(store.client, store.database, unordered)).rejects.toMatchObject({ code: 'MIGRATION_FAILED' });
    await expect(migrate(store.client, 'x; DROP DATABASE migrate_test')).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
  });
});
