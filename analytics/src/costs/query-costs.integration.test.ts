import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { costGroupings, insertSpans, type CostReport } from '@spanlens/core';
import { refreshRollup } from '../rollup/refresh-rollup';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { queryCosts } from './query-costs';

const H = Date.UTC(2026, 10, 2, 10); // 2026-11-02T10:00:00Z
const at = (minutes: number) => new Date(H + minutes * 60_000);
const chat = { feature: 'chat', code_file_path: 'src/chat.ts', code_line_number: 12 };
const search = { feature: 'search', code_file_path: 'src/search.ts', code_line_number: 40, prompt_id: 'rank' };

// Three hours of calls; expected figures below are worked out by hand from these.
const s1 = spanAt(at(10), { ...chat, user_id: 'u1', model: 'gpt-4o', prompt_id: 'greet', prompt_version: '3', cost_usd: 0.1, input_tokens: 100, output_tokens: 20 });
const s2 = spanAt(at(40), { ...chat, user_id: 'u2', model: 'gpt-4o-mini', prompt_id: 'greet', prompt_version: '3', cost_usd: 0.2, input_tokens: 50, output_tokens: 10 });
const s3 = spanAt(at(50), { ...search, user_id: 'u1', model: 'gpt-4o', cost_usd: 0.3, input_tokens: 300, output_tokens: 30 });
const s4 = spanAt(at(65), { model: 'llama-ft', cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true, input_tokens: 1000, output_tokens: 100 });
const s5 = spanAt(at(80), { ...chat, user_id: 'u1', model: 'gpt-4o', prompt_id: 'greet', prompt_version: '4', cost_usd: 0.05, input_tokens: 10, output_tokens: 5 });
const s6 = spanAt(at(150), { ...search, user_id: 'u3', model: 'claude-sonnet-4', cost_usd: 0.25, input_tokens: 25, output_tokens: 2 });

const row = (key: string, cost_usd: number, calls: number, input_tokens: number, output_tokens: number, unpriced_calls = 0) =>
  ({ key, cost_usd, calls, input_tokens, output_tokens, unpriced_calls });

const expectedThreeHours = {
  feature: [row('search', 0.55, 2, 325, 32), row('chat', 0.35, 3, 160, 35), row('', 0, 1, 1000, 100, 1)],
  user: [row('u1', 0.45, 3, 410, 55), row('u3', 0.25, 1, 25, 2), row('u2', 0.2, 1, 50, 10), row('', 0, 1, 1000, 100, 1)],
  model: [row('gpt-4o', 0.45, 3, 410, 55), row('claude-sonnet-4', 0.25, 1, 25, 2), row('gpt-4o-mini', 0.2, 1, 50, 10), row('llama-ft', 0, 1, 1000, 100, 1)],
  // greet@3 is 0.1 + 0.2: exactly 0.3, not 0.30000000000000004.
  prompt: [row('rank', 0.55, 2, 325, 32), row('greet@3', 0.3, 2, 150, 30), row('greet@4', 0.05, 1, 10, 5), row('', 0, 1, 1000, 100, 1)],
  callsite: [row('src/search.ts:40', 0.55, 2, 325, 32), row('src/chat.ts:12', 0.35, 3, 160, 35), row('', 0, 1, 1000, 100, 1)],
};

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('costs_test');
  await insertSpans(store.client, store.database, [s1, s2, s3, s4, s5, s6]);
  await insertSpans(store.client, store.database, [s1, s3]); // delivered twice
});
afterAll(async () => {
  await store.close();
});

const report = (groupBy: CostReport['group_by'], from: Date, to: Date) =>
  queryCosts(store.client, store.database, { groupBy, from, to });
const allReports = () =>
  Promise.all([
    ...costGroupings.map((groupBy) => report(groupBy, at(0), at(180))),
    report('feature', at(30), at(70)), // inside two hours, no whole hour
    report('feature', at(30), at(160)), // edge, one whole hour, edge
  ]);

describe('queryCosts', () => {
  it('groups three hours of spans by every dimension, duplicates counted once', async () => {
    for (const groupBy of costGroupings) {
      const result = await report(groupBy, at(0), at(180));
      expect(result).toEqual({
        from: '2026-11-02T10:00:00.000Z', to: '2026-11-02T13:00:00.000Z', group_by: groupBy,
        total_cost_usd: 0.9, rows: expectedThreeHours[groupBy],
      });
    }
  });

  it('cuts ranges that do not start or end on an hour', async () => {
    expect((await report('feature', at(30), at(70))).rows).toEqual([
      row('search', 0.3, 1, 300, 30), row('chat', 0.2, 1, 50, 10), row('', 0, 1, 1000, 100, 1),
    ]);
    const [edgeWholeEdge] = [await report('feature', at(30), at(160))];
    expect(edgeWholeEdge.total_cost_usd).toBe(0.8);
    expect(edgeWholeEdge.rows).toEqual([
      row('search', 0.55, 2, 325, 32), row('chat', 0.25, 2, 60, 15), row('', 0, 1, 1000, 100, 1),
    ]);
    expect((await report('feature', at(170), at(170))).rows).toEqual([]);
  });

  it('gives identical figures before and after the rollup, with duplicates and late spans', async () => {
    const before = await allReports();
    expect((await refreshRollup(store.client, store.database)).hoursRefreshed).toBe(3);
    expect(await allReports()).toEqual(before);
    expect((await refreshRollup(store.client, store.database)).hoursRefreshed).toBe(0);

    await insertSpans(store.client, store.database, [s2, s5, s6]); // delivered again after the rollup
    expect(await allReports()).toEqual(before);
    expect((await refreshRollup(store.client, store.database)).hoursRefreshed).toBe(3);
    expect(await allReports()).toEqual(before);

    // A late span in an hour that was already rolled up counts at once.
    const late = spanAt(at(90), { ...chat, user_id: 'u9', cost_usd: 0.125, input_tokens: 1, output_tokens: 1 });
    await insertSpans(store.client, store.database, [late]);
    const withLate = await report('feature', at(0), at(180));
    expect(withLate.total_cost_usd).toBe(1.025);
    expect(withLate.rows[1]).toEqual(row('chat', 0.475, 4, 161, 36));
    await refreshRollup(store.client, store.database);
    expect(await report('feature', at(0), at(180))).toEqual(withLate);

    // Merges change nothing either (forced here; readers never rely on them).
    for (const table of ['llm_spans', 'llm_spans_hourly', 'rollup_snapshots', 'span_hours_touched']) {
      await store.client.command({ query: `OPTIMIZE TABLE costs_test.${table} FINAL` });
    }
    expect(await report('feature', at(0), at(180))).toEqual(withLate);
  });

  it('reads whole fresh hours from the rollup and edges from raw spans', async () => {
    // White-box: a row written behind the span writer's back (no touch) is
    // invisible where the rollup answers, and visible where raw spans do.
    const hour = H + 100 * 3_600_000;
    await insertSpans(store.client, store.database, [spanAt(new Date(hour + 60_000), { feature: 'probe', cost_usd: 1 })]);
    await refreshRollup(store.client, store.database);
    await store.client.insert({
      table: 'costs_test.llm_spans',
      values: [{ trace_id: 'f'.repeat(32), span_id: 'e'.repeat(16), start_time: new Date(hour + 120_000).toISOString().slice(0, 19).replace('T', ' '), feature: 'probe', cost_usd: 2 }],
      format: 'JSONEachRow',
    });
    expect((await report('feature', new Date(hour), new Date(hour + 3_600_000))).total_cost_usd).toBe(1);
    expect((await report('feature', new Date(hour + 1), new Date(hour + 3_600_000))).total_cost_usd).toBe(3);
  });

  it('sums thousands of small costs exactly, raw and rolled up', async () => {
    const hour = H + 200 * 3_600_000;
    const spans = Array.from({ length: 2000 }, (_, i) => spanAt(new Date(hour + i * 1000), { feature: 'bulk', cost_usd: 0.00013 }));
    await insertSpans(store.client, store.database, spans);
    const range = { from: new Date(hour), to: new Date(hour + 3_600_000) };
    const raw = await report('feature', range.from, range.to);
    expect(raw.rows).toEqual([row('bulk', 0.26, 2000, 0, 0)]); // 2000 × 0.00013
    await refreshRollup(store.client, store.database);
    expect(await report('feature', range.from, range.to)).toEqual(raw);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(report('feature', at(60), at(0))).rejects.toThrow(/after/);
  });
});
