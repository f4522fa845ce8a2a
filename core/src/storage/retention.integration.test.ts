import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSpans } from './insert-spans';
import { applyRetention } from './retention';
import { makeSpan } from './test-spans';
import { openTestStore, selectRows, type TestStore } from './test-store';

const DAY = 86_400_000;
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('retention_test');
});
afterAll(async () => {
  await store.close();
});

const rows = async () =>
  (await selectRows<{ span_id: string; prompt_text: string }>(store.client, 'SELECT span_id, prompt_text FROM retention_test.llm_spans ORDER BY span_id')).map((row) => [row.span_id, row.prompt_text]);
const expireNow = () => store.client.command({ query: 'OPTIMIZE TABLE retention_test.llm_spans FINAL' });
/** applyRetention leaves existing rows to a background mutation; this waits for it, as time would. */
async function mutationsDone(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const [row] = await selectRows<{ n: string }>(store.client, "SELECT count() AS n FROM system.mutations WHERE database = 'retention_test' AND NOT is_done");
    if (Number(row?.n) === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the TTL mutations did not finish within 10 s');
}

describe('applyRetention', () => {
  it('empties content after content_days, deletes spans after spans_days, and changes nothing when applied again', async () => {
    const at = (daysAgo: number, id: string) => makeSpan({ span_id: id.padEnd(16, '0'), start_time_ns: ns(Date.now() - daysAgo * DAY), end_time_ns: ns(Date.now() - daysAgo * DAY + 1000), prompt_text: `prompt ${id}` });
    await insertSpans(store.client, store.database, [at(1, 'a'), at(45, 'b'), at(200, 'c')]);

    const first = await applyRetention(store.client, store.database, { content_days: 30, spans_days: 180, rollups_days: 730 });
    expect(first.some((statement) => statement.includes('llm_spans MODIFY TTL toDateTime(start_time) + INTERVAL 180 DAY'))).toBe(true);
    expect(await applyRetention(store.client, store.database, { content_days: 30, spans_days: 180, rollups_days: 730 })).toEqual([]);
    // The background mutation expires existing rows by itself, no OPTIMIZE needed.
    await mutationsDone();
    // 200 days old: gone; 45 days: kept, its content emptied; 1 day: untouched.
    expect(await rows()).toEqual([['a000000000000000', 'prompt a'], ['b000000000000000', '']]);

    // A shorter retention takes effect; 0 keeps data forever.
    const changed = await applyRetention(store.client, store.database, { content_days: 0, spans_days: 30, rollups_days: 0 });
    expect(changed).toContain('ALTER TABLE retention_test.llm_spans MODIFY COLUMN prompt_text REMOVE TTL');
    expect(changed).toContain('ALTER TABLE retention_test.llm_spans_hourly REMOVE TTL');
    await expireNow();
    expect(await rows()).toEqual([['a000000000000000', 'prompt a']]);
    expect(await applyRetention(store.client, store.database, { content_days: 0, spans_days: 30, rollups_days: 0 })).toEqual([]);
  });
});
