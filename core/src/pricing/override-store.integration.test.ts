import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, selectRows, type TestStore } from '../storage/test-store';
import { deletePriceOverride, loadPriceOverrides, storePriceOverride } from './override-store';
import { priceOverridesRevision } from './price-overrides';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('price_overrides_test');
});
afterAll(async () => {
  await store.close();
});

describe('price overrides in ClickHouse', () => {
  it('keeps the latest price per model and provider, removes it with a tombstone, and never repeats a version', async () => {
    const { client, database } = store;
    const at = Date.parse('2026-11-01T10:00:00.000Z');
    const first = await storePriceOverride(client, database, { model: 'gpt-4o', input_per_mtok: 1, output_per_mtok: 2, per_call_usd: 0 }, at);
    // The clock has not moved on: the next version is one more all the same.
    const second = await storePriceOverride(client, database, { model: 'gpt-4o', input_per_mtok: 3, output_per_mtok: 4, cache_read_per_mtok: 0.5, per_call_usd: 0 }, at);
    const azure = await storePriceOverride(client, database, { model: 'gpt-4o', provider: 'azure', input_per_mtok: 5, output_per_mtok: 6, per_call_usd: 0.001 }, at);
    expect([first.version, second.version, azure.version]).toEqual([at, at + 1, at + 2]);

    const loaded = await loadPriceOverrides(client, database);
    expect(loaded).toEqual([
      { model: 'gpt-4o', input_per_mtok: 3, output_per_mtok: 4, cache_read_per_mtok: 0.5, per_call_usd: 0, updated_at: '2026-11-01T10:00:00.000Z', version: at + 1 },
      { model: 'gpt-4o', provider: 'azure', input_per_mtok: 5, output_per_mtok: 6, per_call_usd: 0.001, updated_at: '2026-11-01T10:00:00.000Z', version: at + 2 },
    ]);
    const before = priceOverridesRevision(loaded);

    expect(await deletePriceOverride(client, database, { model: 'gpt-4o' }, at)).toMatchObject({ version: at + 1, input_per_mtok: 3 });
    expect(await deletePriceOverride(client, database, { model: 'gpt-4o' }, at)).toBeUndefined();
    expect(await deletePriceOverride(client, database, { model: 'no-such-model' }, at)).toBeUndefined();
    const after = await loadPriceOverrides(client, database);
    expect(after.map((price) => [price.provider ?? '*', price.version])).toEqual([['azure', at + 2]]);
    expect(priceOverridesRevision(after)).not.toBe(before);

    // Set again after a delete: a version above the tombstone's, so the new price is the latest row.
    const again = await storePriceOverride(client, database, { model: 'gpt-4o', input_per_mtok: 7, output_per_mtok: 8, per_call_usd: 0 }, at);
    expect(again.version).toBe(at + 4);
    expect((await loadPriceOverrides(client, database)).find((price) => price.provider === undefined)).toMatchObject({ input_per_mtok: 7, version: at + 4 });

    // Merged, each pair keeps one row: its latest.
    await client.command({ query: `OPTIMIZE TABLE ${database}.price_overrides FINAL` });
    const rows = await selectRows<{ n: string }>(client, `SELECT count() AS n FROM ${database}.price_overrides`);
    expect(Number(rows[0]?.n)).toBe(2);
    expect((await loadPriceOverrides(client, database)).map((price) => price.version)).toEqual([at + 4, at + 2]);
  });
});
