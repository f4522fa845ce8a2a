import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, insertSpans, loadConfig, type CostReport, type CostSeries } from '@spanlens/core';
import { refreshRollup } from '../rollup/refresh-rollup';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { createApiRouter } from './router';

const DAY1 = Date.parse('2026-11-18T00:00:00Z');
const HOUR = 3_600_000;

let store: TestStore;
let server: ReturnType<express.Express['listen']>;
let url: string;
beforeAll(async () => {
  store = await openTestStore('series_test');
  const spans = [
    // Day 1, 10:00: search, 3 calls of $0.01, latencies 100/200/300 ms, one error.
    ...[100, 200, 300].map((ms, i) => spanAt(new Date(DAY1 + 10 * HOUR + i * 60_000), { feature: 'search', cost_usd: 0.01, duration_ms: ms, is_error: i === 0, cache_read_tokens: 50, reasoning_tokens: 7 })),
    // Day 1, 11:00: chat, 1 call of $0.5.
    spanAt(new Date(DAY1 + 11 * HOUR), { feature: 'chat', cost_usd: 0.5, duration_ms: 1000 }),
    // Day 2, 09:00: search, 2 calls of $0.02 at 400 ms.
    ...[0, 1].map((i) => spanAt(new Date(DAY1 + 33 * HOUR + i * 60_000), { feature: 'search', cost_usd: 0.02, duration_ms: 400 })),
  ];
  await insertSpans(store.client, store.database, spans);
  // Day 1 is rolled up; day 2 is read raw: the series must not care.
  await refreshRollup(store.client, store.database, { now: new Date(DAY1 + 25 * HOUR) });
  const app = express();
  app.use('/api/v1', createApiRouter({ client: store.client, database: store.database, config: loadConfig({ env: {}, cwd: '/nonexistent' }), logger: createLogger({ level: 'silent' }) }));
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await store.close();
});

const range = { from: '2026-11-18T00:00:00Z', to: '2026-11-20T00:00:00Z' };
const get = async <T>(path: string, query: Record<string, string>) => (await fetch(`${url}${path}?${new URLSearchParams(query)}`)).json() as Promise<T>;

describe('GET /api/v1/costs/series', () => {
  it('gives daily figures per feature that add up exactly to /costs', async () => {
    const series = await get<CostSeries>('/costs/series', { group_by: 'feature', interval: 'day', ...range });
    const simple = series.points.map((p) => [p.start.slice(0, 10), p.key, p.calls, p.cost_usd, p.errors, p.cache_read_tokens, p.reasoning_tokens]);
    expect(simple).toEqual([
      ['2026-11-18', 'chat', 1, 0.5, 0, 0, 0],
      ['2026-11-18', 'search', 3, 0.03, 1, 150, 21],
      ['2026-11-19', 'search', 2, 0.04, 0, 0, 0],
    ]);
    const search1 = series.points.find((p) => p.key === 'search' && p.start.startsWith('2026-11-18'))!;
    expect(search1.error_rate).toBeCloseTo(1 / 3, 12);
    expect(search1.latency_ms.mean).toBeCloseTo(200, 9);
    expect(search1.latency_ms.p50).toBeCloseTo(200, 0);
    expect(series.total_cost_usd).toBe(0.57);
    const costs = await get<CostReport>('/costs', { group_by: 'feature', ...range });
    expect(costs.total_cost_usd).toBe(series.total_cost_usd);
  });

  it('gives hourly figures, and refuses a bad interval naming it', async () => {
    const series = await get<CostSeries>('/costs/series', { group_by: 'feature', interval: 'hour', ...range });
    expect(series.points.map((p) => [p.start, p.key, p.calls])).toEqual([
      ['2026-11-18T10:00:00.000Z', 'search', 3],
      ['2026-11-18T11:00:00.000Z', 'chat', 1],
      ['2026-11-19T09:00:00.000Z', 'search', 2],
    ]);
    const bad = await fetch(`${url}/costs/series?group_by=feature&interval=week`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe('interval: must be one of hour, day, month');
  });
});
