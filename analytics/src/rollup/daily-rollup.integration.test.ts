import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSpans } from '@spanlens/core';
import { queryCostBuckets } from '../costs/query-cost-buckets';
import { queryCosts } from '../costs/query-costs';
import { refreshDailyRollup, usableDays } from './daily-rollup';
import { refreshRollup } from './refresh-rollup';
import { openTestStore, spanAt, type TestStore } from './test-store';

const D1 = Date.UTC(2026, 4, 10) / 1000; // 2026-05-10, seconds
const at = (day: number, hour: number) => new Date((D1 + day * 86_400 + hour * 3600 + 60) * 1000);
const now = new Date((D1 + 5 * 86_400) * 1000);
const range = { from: new Date(D1 * 1000), to: new Date((D1 + 3 * 86_400) * 1000) };

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('daily_test');
  await insertSpans(store.client, store.database, [
    spanAt(at(0, 1), { user_id: 'ana', cost_usd: 0.25 }),
    spanAt(at(0, 23), { user_id: 'bo', cost_usd: 0.5 }),
    spanAt(at(1, 12), { user_id: 'ana', cost_usd: 1 }),
    spanAt(at(2, 0), { user_id: 'bo', cost_usd: 2 }),
  ]);
});
afterAll(async () => {
  await store.close();
});

const byUser = async () => Object.fromEntries((await queryCosts(store.client, store.database, { groupBy: 'user', ...range })).rows.map((r) => [r.key, [r.calls, r.cost_usd]]));

describe('the daily rollup', () => {
  it('is read for whole days whose hours it was built from, with the same figures', async () => {
    const before = await byUser();
    expect(before).toEqual({ ana: [2, 1.25], bo: [2, 2.5] });
    await refreshRollup(store.client, store.database, { now });
    expect(await refreshDailyRollup(store.client, store.database, { now })).toEqual({ daysRefreshed: 3 });
    expect([...(await usableDays(store.client, store.database, { from: D1, to: D1 + 3 * 86_400 })).keys()].sort()).toEqual([D1, D1 + 86_400, D1 + 2 * 86_400]);
    expect(await byUser()).toEqual(before);
    const days = await queryCostBuckets(store.client, store.database, { groupBy: 'user', unit: 'day', ...range });
    expect(days.map((d) => [new Date(d.bucket).toISOString().slice(0, 10), d.key, d.calls]).sort()).toEqual([
      ['2026-05-10', 'ana', 1], ['2026-05-10', 'bo', 1], ['2026-05-11', 'ana', 1], ['2026-05-12', 'bo', 1],
    ]);
    // Nothing to do again until a day changes.
    expect(await refreshDailyRollup(store.client, store.database, { now })).toEqual({ daysRefreshed: 0 });
  });

  it('stops using a day when a late span touches it, stays exact, and uses it again once rebuilt', async () => {
    await insertSpans(store.client, store.database, [spanAt(at(1, 5), { user_id: 'ana', cost_usd: 0.125 })]);
    expect([...(await usableDays(store.client, store.database, { from: D1, to: D1 + 3 * 86_400 })).keys()].sort()).toEqual([D1, D1 + 2 * 86_400]);
    expect(await byUser()).toEqual({ ana: [3, 1.375], bo: [2, 2.5] });
    await refreshRollup(store.client, store.database, { now });
    expect(await refreshDailyRollup(store.client, store.database, { now })).toEqual({ daysRefreshed: 1 });
    expect((await usableDays(store.client, store.database, { from: D1, to: D1 + 3 * 86_400 })).size).toBe(3);
    expect(await byUser()).toEqual({ ana: [3, 1.375], bo: [2, 2.5] });
  });
});
