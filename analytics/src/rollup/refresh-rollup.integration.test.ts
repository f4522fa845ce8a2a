import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSpans, migrate } from '@spanlens/core';
import { queryCosts } from '../costs/query-costs';
import { readFreshHours } from './hour-states';
import { refreshRollup } from './refresh-rollup';
import { openTestStore, spanAt, type TestStore } from './test-store';

const H = Date.UTC(2026, 5, 1, 8) / 1000; // 2026-06-01T08:00:00Z, in seconds
const at = (minutes: number) => new Date((H + minutes * 60) * 1000);

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('rollup_test');
});
afterAll(async () => {
  await store.close();
});

interface HourlyRow { hour: number; feature: string; calls: number; cost: string; unpriced: number; input: number; errors: number; p50: number }

/** The rows readers would use: each hour's latest complete snapshot version. */
async function currentRollup(): Promise<HourlyRow[]> {
  const result = await store.client.query({
    query: `SELECT toUnixTimestamp(hour) AS hour, key AS feature, sum(calls) AS calls, toString(sum(cost_usd)) AS cost,
                   sum(unpriced_calls) AS unpriced, sum(input_tokens) AS input, sum(errors) AS errors,
                   quantilesTDigestMerge(0.5, 0.95, 0.99)(latency_state)[1] AS p50
            FROM rollup_test.llm_spans_hourly
            WHERE dimension = 'feature' AND (hour, snapshot_version) IN (
              SELECT hour, argMax(snapshot_version, state_rank) FROM rollup_test.rollup_snapshots
              GROUP BY hour HAVING argMax(complete, state_rank) = 1)
            GROUP BY hour, feature ORDER BY hour, feature`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((r) => ({
    hour: Number(r.hour), feature: String(r.feature), calls: Number(r.calls), cost: String(r.cost),
    unpriced: Number(r.unpriced), input: Number(r.input), errors: Number(r.errors), p50: Number(r.p50),
  }));
}

describe('refreshRollup', () => {
  it('rolls up each touched hour exactly, once, in as many inserts as asked', async () => {
    const spans = [
      spanAt(at(5), { feature: 'chat', cost_usd: 0.1, input_tokens: 10, duration_ms: 100 }),
      spanAt(at(6), { feature: 'chat', cost_usd: 0.2, input_tokens: 20, duration_ms: 100, is_error: true }),
      spanAt(at(7), { feature: 'chat', cost_usd: null, unpriced: true, input_tokens: 5, duration_ms: 100 }),
      spanAt(at(70), { feature: 'search', cost_usd: 0.5, input_tokens: 1, duration_ms: 40 }),
    ];
    await insertSpans(store.client, store.database, [...spans, spans[0]!]);
    expect(await refreshRollup(store.client, store.database, { hoursPerInsert: 1 })).toEqual({ hoursRefreshed: 2, hoursStillStale: 0 });
    expect(await refreshRollup(store.client, store.database)).toEqual({ hoursRefreshed: 0, hoursStillStale: 0 });
    expect(await currentRollup()).toEqual([
      { hour: H, feature: 'chat', calls: 3, cost: '0.3', unpriced: 1, input: 35, errors: 1, p50: 100 },
      { hour: H + 3600, feature: 'search', calls: 1, cost: '0.5', unpriced: 0, input: 1, errors: 0, p50: 40 },
    ]);
  });

  it('recomputes a touched hour whole, so a group that moved is not counted twice', async () => {
    // The same span, re-delivered under another feature (e.g. re-mapped), replaces the first copy.
    const first = spanAt(at(10), { feature: 'draft', cost_usd: 1 });
    await insertSpans(store.client, store.database, [first]);
    await refreshRollup(store.client, store.database);
    await new Promise((resolve) => setTimeout(resolve, 5)); // a later received_at
    await insertSpans(store.client, store.database, [{ ...first, feature: 'final' }]);
    expect(await refreshRollup(store.client, store.database)).toEqual({ hoursRefreshed: 1, hoursStillStale: 0 });
    const features = (await currentRollup()).filter((r) => r.hour === H).map((r) => [r.feature, r.calls]);
    expect(features).toEqual([['chat', 3], ['final', 1]]);
  });

  it('repairs an hour whose run died half-way, and readers stay exact meanwhile', async () => {
    const range = { from: at(0), to: at(120) };
    const exact = await queryCosts(store.client, store.database, { groupBy: 'feature', ...range });
    // A crashed run: started at a newer version and wrote wrong rows, never completed.
    const crashed = Date.now() * 1000 + 999_999_999;
    await store.client.insert({
      table: 'rollup_test.rollup_snapshots',
      values: [{ hour: H, snapshot_version: crashed, complete: 0, raw_touched_at: '2026-06-01 08:00:00', computed_at: '2026-06-01 08:00:00' }],
      format: 'JSONEachRow',
    });
    await store.client.command({
      query: `INSERT INTO rollup_test.llm_spans_hourly (dimension, hour, key, snapshot_version, calls, cost_usd)
              SELECT dimension, hour, key, {v:UInt64}, 999, 999 FROM rollup_test.llm_spans_hourly WHERE hour = {h:DateTime('UTC')}`,
      query_params: { v: crashed, h: '2026-06-01 08:00:00' },
    });
    // A merge may now replace the recorded version's rows with the crashed ones.
    await store.client.command({ query: 'OPTIMIZE TABLE rollup_test.llm_spans_hourly FINAL' });
    expect(await queryCosts(store.client, store.database, { groupBy: 'feature', ...range })).toEqual(exact);
    expect((await readFreshHours(store.client, store.database, { from: H, to: H + 7200 })).has(H)).toBe(false);

    expect(await refreshRollup(store.client, store.database)).toEqual({ hoursRefreshed: 1, hoursStillStale: 0 });
    expect((await readFreshHours(store.client, store.database, { from: H, to: H + 7200 })).has(H)).toBe(true);
    expect(await queryCosts(store.client, store.database, { groupBy: 'feature', ...range })).toEqual(exact);
    expect(exact.total_cost_usd).toBe(1.8);
  });
});

describe('refreshRollup and the hour in progress', () => {
  it('leaves the open hour to raw reads until it has ended', async () => {
    const open = new Date(Date.UTC(2026, 5, 2, 9, 30));
    await insertSpans(store.client, store.database, [spanAt(open, { feature: 'live', cost_usd: 0.25 })]);
    expect(await refreshRollup(store.client, store.database, { now: new Date(Date.UTC(2026, 5, 2, 9, 45)) })).toEqual({ hoursRefreshed: 0, hoursStillStale: 0 });
    const range = { from: new Date(Date.UTC(2026, 5, 2, 9)), to: new Date(Date.UTC(2026, 5, 2, 10)) };
    const live = await queryCosts(store.client, store.database, { groupBy: 'feature', ...range });
    expect(live.rows).toEqual([{ key: 'live', cost_usd: 0.25, calls: 1, input_tokens: 0, output_tokens: 0, unpriced_calls: 0 }]);
    expect(await refreshRollup(store.client, store.database, { now: new Date(Date.UTC(2026, 5, 2, 10, 1)) })).toEqual({ hoursRefreshed: 1, hoursStillStale: 0 });
    expect(await queryCosts(store.client, store.database, { groupBy: 'feature', ...range })).toEqual(live);
  });
});

describe('refreshRollup with a cap on hours per run', () => {
  it('refreshes the newest stale hours first and leaves the rest for the next run', async () => {
    // chDB holds one directory per process: a database of its own in the same store.
    const capped = { client: store.client, database: 'rollup_cap_test' };
    await migrate(capped.client, capped.database);
    await insertSpans(capped.client, capped.database, [0, 60, 120].map((minutes) => spanAt(at(minutes), { feature: 'cap', cost_usd: 0.5 })));
    const clock = { now: at(6 * 60) };
    expect(await refreshRollup(capped.client, capped.database, { ...clock, maxHours: 2 })).toEqual({ hoursRefreshed: 2, hoursStillStale: 1 });
    expect([...(await readFreshHours(capped.client, capped.database, { from: H, to: H + 3 * 3600 })).keys()].sort()).toEqual([H + 3600, H + 7200]);
    expect(await refreshRollup(capped.client, capped.database, { ...clock, maxHours: 2 })).toEqual({ hoursRefreshed: 1, hoursStillStale: 0 });
    const report = await queryCosts(capped.client, capped.database, { groupBy: 'feature', from: at(0), to: at(180) });
    expect(report.rows).toEqual([expect.objectContaining({ key: 'cap', calls: 3, cost_usd: 1.5 })]);
  });
});
