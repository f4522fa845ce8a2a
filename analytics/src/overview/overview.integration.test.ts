import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSpans, tableName } from '@spanlens/core';
import { readAlertHistory } from './alert-history';
import { queryCosts } from '../costs/query-costs';
import { refreshRollup } from '../rollup/refresh-rollup';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { queryBreakdown } from './query-breakdown';
import { queryOverview } from './query-overview';
import { queryOverviewSeries } from './query-overview-series';

const FROM = new Date('2026-11-20T00:00:00Z');
const TO = new Date('2026-11-20T04:00:00Z');
const at = (minutes: number) => new Date(FROM.getTime() + minutes * 60_000);

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('overview_test');
  const spans = [
    // Hour 0: two search calls, one with a cache hit and a first token at 200 ms.
    spanAt(at(5), { feature: 'search', model: 'gpt-4o', provider: 'openai', user_id: 'u1', cost_usd: 0.1, input_tokens: 100, cache_read_tokens: 40, output_tokens: 50, duration_ms: 1000, ttft_ms: 200 }),
    spanAt(at(10), { feature: 'search', model: 'gpt-4o', provider: 'openai', user_id: 'u2', cost_usd: 0.2, input_tokens: 100, output_tokens: 150, duration_ms: 2000, ttft_ms: 400 }),
    // Hour 1: a chat call that failed, and one of a model without a price.
    spanAt(at(70), { feature: 'chat', model: 'claude', provider: 'anthropic', user_id: 'u1', cost_usd: 0.3, input_tokens: 200, output_tokens: 0, duration_ms: 3000, is_error: true }),
    spanAt(at(80), { feature: 'chat', model: 'home-llm', provider: 'self', user_id: 'u3', cost_usd: null, unpriced: true, input_tokens: 10, output_tokens: 10, duration_ms: 4000, prompt_id: 'greet', prompt_version: '2', code_file_path: '/srv/app/src/chat.ts', code_line_number: 42 }),
    // Before the range: the previous period.
    spanAt(new Date(FROM.getTime() - 60 * 60_000), { feature: 'search', cost_usd: 0.5, input_tokens: 1, output_tokens: 1 }),
  ];
  await insertSpans(store.client, store.database, [...spans, spans[0]!]);
});
afterAll(async () => {
  await store.close();
});

describe('overview', () => {
  it('totals the range exactly, once per span, with quantiles, TTFT, errors and cache hits worked out by hand', async () => {
    const overview = await queryOverview(store.client, store.database, { from: FROM, to: TO, filters: {}, now: TO });
    const current = overview.current;
    expect(overview.has_spans).toBe(true);
    expect(current.calls).toBe(4);
    expect(current.cost_usd).toBe(0.6);
    expect([current.input_tokens, current.output_tokens, current.cache_read_tokens]).toEqual([410, 210, 40]);
    expect(current.cache_hit_rate).toBeCloseTo(40 / 410, 12);
    // Output over the time of the calls that produced any: 210 tokens in 1 + 2 + 4 s.
    expect(current.output_tokens_per_second).toBeCloseTo(210 / 7, 12);
    expect(current.error_rate).toBe(0.25);
    expect(current.unpriced_calls).toBe(1);
    expect(current.ttft_ms).toMatchObject({ calls: 2 });
    expect(current.latency_ms?.p99).toBe(4000);
    expect(overview.previous.cost_usd).toBe(0.5);
    expect(overview.unpriced_models).toEqual([{ model: 'home-llm', provider: 'self', calls: 1 }]);
    // Spend over the last 7 days equals the cost API's total for them.
    const week = overview.spend.find((s) => s.window === '7d')!;
    const costs = await queryCosts(store.client, store.database, { groupBy: 'feature', from: new Date(week.from), to: new Date(week.to) });
    expect(week.cost_usd).toBe(costs.total_cost_usd);
  });

  it('filters by feature, prompt id and a call site given as a workspace path', async () => {
    const search = await queryOverview(store.client, store.database, { from: FROM, to: TO, filters: { feature: 'search' }, now: TO });
    expect([search.current.calls, search.current.cost_usd, search.current.error_rate]).toEqual([2, 0.3, 0]);
    const prompt = await queryOverview(store.client, store.database, { from: FROM, to: TO, filters: { prompt: 'greet' }, now: TO });
    expect(prompt.current.calls).toBe(1);
    const site = await queryOverview(store.client, store.database, { from: FROM, to: TO, filters: { callsite: 'src/chat.ts:42' }, now: TO });
    expect(site.current.calls).toBe(1);
    const none = await queryOverview(store.client, store.database, { from: FROM, to: TO, filters: { callsite: 'chat.ts:43' }, now: TO });
    expect(none.current.calls).toBe(0);
  });

  it('reads spend from the rollup for a single feature filter and from raw spans for two, alike', async () => {
    const spend = async (filters: Record<string, string>) => (await queryOverview(store.client, store.database, { from: FROM, to: TO, filters, now: TO })).spend.find((s) => s.window === '7d')!.cost_usd;
    // Search: $0.10 and $0.20 in the range and $0.50 an hour before it, the duplicate counted once.
    expect(await spend({ feature: 'search' })).toBe(0.8);
    // Rolled up, whole hours come from the rollup: the same figures.
    expect((await refreshRollup(store.client, store.database)).hoursRefreshed).toBeGreaterThan(0);
    expect(await spend({ feature: 'search' })).toBe(0.8);
    expect(await spend({ feature: 'search', user: 'u1' })).toBe(0.1);
    expect(await spend({ feature: 'chat', provider: 'anthropic' })).toBe(0.3);
    expect(await spend({})).toBe(1.1);
  });

  it('reads the rollups once an hour is rolled up: the same sums, t-digest quantiles, and raw spans only for other filters', async () => {
    const day = new Date('2026-11-10T00:00:00Z');
    const minute = (m: number) => new Date(day.getTime() + m * 60_000);
    await insertSpans(store.client, store.database, [
      spanAt(minute(5), { feature: 'search', model: 'gpt-4o', user_id: 'u1', cost_usd: 0.1, input_tokens: 100, cache_read_tokens: 40, output_tokens: 50, duration_ms: 1000, ttft_ms: 200 }),
      spanAt(minute(10), { feature: 'search', model: 'gpt-4o', user_id: 'u2', cost_usd: 0.2, input_tokens: 100, output_tokens: 150, duration_ms: 2000, ttft_ms: 400 }),
      spanAt(minute(70), { feature: 'chat', model: 'claude', user_id: 'u1', cost_usd: 0.3, input_tokens: 200, output_tokens: 0, duration_ms: 3000, is_error: true }),
    ]);
    await refreshRollup(store.client, store.database);
    // Raw spans gone, rollup kept (a delete does not touch the hours): only the rollups can answer now.
    await store.client.command({ query: `ALTER TABLE ${tableName(store.database, 'llm_spans')} DELETE WHERE toDate(start_time) = '2026-11-10'`, clickhouse_settings: { mutations_sync: '2' } });
    const range = { from: day, to: new Date(day.getTime() + 4 * 3_600_000), now: TO };

    const all = (await queryOverview(store.client, store.database, { ...range, filters: {} })).current;
    expect([all.calls, all.cost_usd, all.input_tokens, all.output_tokens, all.cache_read_tokens, all.errors, all.unpriced_calls]).toEqual([3, 0.6, 400, 200, 40, 1, 0]);
    expect(all.cache_hit_rate).toBeCloseTo(40 / 400, 12);
    // 200 output tokens over the 1 s + 2 s of the calls that produced any.
    expect(all.output_tokens_per_second).toBeCloseTo(200 / 3, 12);
    expect(all.latency_ms).toEqual({ p50: 2000, p95: 3000, p99: 3000 });
    // A t-digest's median of two points is one of them (the exact median would be 300).
    expect(all.ttft_ms).toMatchObject({ p95: 400, p99: 400, calls: 2 });
    expect([200, 400]).toContain(all.ttft_ms?.p50);
    const u1 = (await queryOverview(store.client, store.database, { ...range, filters: { user: 'u1' } })).current;
    expect([u1.calls, u1.cost_usd, u1.error_rate, u1.ttft_ms?.calls]).toEqual([2, 0.4, 0.5, 1]);
    const search = (await queryOverview(store.client, store.database, { ...range, filters: { feature: 'search' } })).current;
    expect([search.calls, search.cost_usd, search.errors]).toEqual([2, 0.3, 0]);
    // Two filters are read from raw spans, which are gone.
    expect((await queryOverview(store.client, store.database, { ...range, filters: { feature: 'search', user: 'u1' } })).current.calls).toBe(0);

    const series = await queryOverviewSeries(store.client, store.database, { groupBy: 'feature', interval: 'hour', ...range, filters: {} });
    expect(series.cost.keys).toEqual(['chat', 'search']);
    expect(series.cost.costs_usd).toEqual([[0, 0.3, 0, 0], [0.3, 0, 0, 0]]);
    expect(series.metrics.map((m) => [m.calls, m.errors])).toEqual([[2, 0], [1, 1], [0, 0], [0, 0]]);
    const chat = await queryOverviewSeries(store.client, store.database, { groupBy: 'model', interval: 'hour', ...range, filters: { feature: 'chat' } });
    expect(chat.metrics.map((m) => m.calls)).toEqual([0, 1, 0, 0]);
  });

  it('stacks cost per hour by provider, the buckets adding up to the range', async () => {
    const series = await queryOverviewSeries(store.client, store.database, { groupBy: 'provider', interval: 'hour', from: FROM, to: TO, filters: {} });
    expect(series.cost.buckets).toHaveLength(4);
    // openai and anthropic both cost $0.30: equal costs go by name.
    expect(series.cost.keys).toEqual(['anthropic', 'openai', 'self']);
    expect(series.cost.costs_usd[1]).toEqual([0.3, 0, 0, 0]);
    expect(series.cost.total_usd).toEqual([0.3, 0.3, 0, 0]);
    expect(series.metrics.map((m) => m.calls)).toEqual([2, 2, 0, 0]);
    expect(series.metrics[1]!.error_rate).toBe(0.5);
  });

  it('lists the top users of each feature, matching the cost API', async () => {
    const breakdown = await queryBreakdown(store.client, store.database, { groupBy: 'feature', then: 'user', from: FROM, to: TO, filters: {}, limit: 1 });
    const costs = await queryCosts(store.client, store.database, { groupBy: 'feature', from: FROM, to: TO });
    expect(breakdown.rows.map((r) => [r.key, r.cost_usd, r.calls])).toEqual(costs.rows.map((r) => [r.key, r.cost_usd, r.calls]));
    expect(breakdown.rows.find((r) => r.key === 'search')!.top).toEqual([{ key: 'u2', cost_usd: 0.2, calls: 1, unpriced_calls: 0 }]);
  });
});

describe('alert history', () => {
  it('lists each notification once with its channels\' outcome and the instance\'s labels, newest first', async () => {
    const row = (key: string, kind: string, event: string, channel: string, at: string) => ({ notification_key: key, fingerprint: 'fp1', rule: 'latency', kind, channel, replica: 'r1', event, attempt: 1, status_code: 200, detail: '', at });
    await store.client.insert({
      table: tableName(store.database, 'alert_notifications'),
      values: [
        row('fp1:firing:1', 'firing', 'claim', '', '2026-11-20 01:00:00.000'),
        row('fp1:firing:1', 'firing', 'failed', 'slack', '2026-11-20 01:00:01.000'),
        row('fp1:firing:1', 'firing', 'delivered', 'slack', '2026-11-20 01:00:05.000'),
        row('fp1:firing:1', 'firing', 'delivered', 'pager', '2026-11-20 01:00:01.000'),
        row('fp1:resolved:1', 'resolved', 'claim', '', '2026-11-20 02:00:00.000'),
        row('fp1:resolved:1', 'resolved', 'suppressed', '', '2026-11-20 02:00:00.000'),
        row('old', 'firing', 'claim', '', '2026-11-10 00:00:00.000'),
      ],
      format: 'JSONEachRow',
    });
    await store.client.insert({
      table: tableName(store.database, 'alert_instances'),
      values: [{ fingerprint: 'fp1', rule: 'latency', labels: { feature: 'search' }, severity: 'warning', state: 'inactive', value: null, baseline: null, last_evaluated: '2026-11-20 02:00:00.000', summary: '', description: '', version: 2 }],
      format: 'JSONEachRow',
    });
    const history = await readAlertHistory(store.client, store.database, { from: FROM, to: TO });
    expect(history.notifications).toEqual([
      { at: '2026-11-20T02:00:00.000Z', rule: 'latency', fingerprint: 'fp1', labels: { feature: 'search' }, kind: 'resolved', delivered: [], failed: [], suppressed: true },
      { at: '2026-11-20T01:00:00.000Z', rule: 'latency', fingerprint: 'fp1', labels: { feature: 'search' }, kind: 'firing', delivered: ['pager', 'slack'], failed: ['slack'], suppressed: false },
    ]);
  });
});
