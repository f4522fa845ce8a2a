import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeedback, insertSpans, loadConfig, normaliseFeedback, tableName, type LlmSpan } from '@spanlens/core';
import { queryCosts } from '../costs/query-costs';
import { refreshDailyRollup } from '../rollup/daily-rollup';
import { refreshRollup } from '../rollup/refresh-rollup';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { readSatisfaction } from '../satisfaction/read-satisfaction';
import { digestJob } from '../digest/digest-job';
import { driftJob } from '../drift/drift-job';
import { satisfactionJob } from '../satisfaction/satisfaction-job';
import { eraseUser } from './erase-user';

const HOUR = 3_600_000;
// Recent calls (content expires after 30 days), over the last three days, all in ended hours.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const loaded = loadConfig({ env: {}, cwd: '/nonexistent' });
// Drift over the last 12 hours against the 7 days before, from two calls a side: every feature gets tested.
const config = { ...loaded, drift: { ...loaded.drift, current_window_hours: 12, min_samples: 2 } };
const users = ['ana@example.com', 'ben-4711', 'cy'];
const features = ['search', 'chat'];

let store: TestStore;
const spans: LlmSpan[] = [];
beforeAll(async () => {
  store = await openTestStore('erasure_test');
  // Each user makes 12 calls per feature, one every 3 hours back from NOW − 1 h; cost in whole micro-dollars.
  users.forEach((user, u) =>
    features.forEach((feature, f) => {
      for (let i = 0; i < 12; i++) {
        spans.push(spanAt(new Date(NOW.getTime() - HOUR - i * 3 * HOUR - (u * 2 + f) * 60_000), { user_id: user, feature, cost_usd: (100 + 10 * u + f) / 1e6, prompt_text: `hello from ${user}` }));
      }
    }),
  );
  await insertSpans(store.client, store.database, spans);
  // Every user votes on their first call; ana also votes on one of ben's calls.
  const votes = users.map((user) => spans.find((span) => span.user_id === user)!).map((span) => normaliseFeedback({ trace_id: span.trace_id, span_id: span.span_id, user_id: span.user_id, score: 1, comment: `from ${span.user_id}` }, new Date(NOW.getTime() - HOUR / 2)));
  const bensCall = spans.filter((span) => span.user_id === 'ben-4711')[1]!;
  votes.push(normaliseFeedback({ trace_id: bensCall.trace_id, span_id: bensCall.span_id, user_id: 'ana@example.com', score: -1 }, new Date(NOW.getTime() - HOUR / 2)));
  await insertFeedback(store.client, store.database, votes);
  await refreshRollup(store.client, store.database, { now: NOW });
  await refreshDailyRollup(store.client, store.database, { now: NOW });
  // Two satisfaction windows (an earlier one, which readers no longer show, and the current one) and a drift run.
  const context = { client: store.client, database: store.database, config, logger: undefined as never };
  await satisfactionJob.run({ ...context, window: satisfactionJob.window(new Date(NOW.getTime() - 10 * 60_000), config) });
  await satisfactionJob.run({ ...context, window: satisfactionJob.window(NOW, config) });
  await driftJob.run({ ...context, window: driftJob.window(NOW, config) });
  await digestJob.run({ ...context, window: digestJob.window(NOW, config) });
});
afterAll(async () => {
  await store.close();
});

const range = { from: new Date(NOW.getTime() - 5 * 24 * HOUR), to: NOW };
const byKey = async (groupBy: 'user' | 'feature') => Object.fromEntries((await queryCosts(store.client, store.database, { groupBy, ...range })).rows.map((row) => [row.key, [row.calls, row.cost_usd]]));

describe('eraseUser', () => {
  it('leaves nothing of the user in any table or query, and everyone else exactly as before', async () => {
    const before = await byKey('user');
    const votesBefore = await readSatisfaction(store.client, store.database, 'feature');
    expect(votesBefore.rows.map((row) => [row.key, row.votes])).toEqual([['search', 4]]);
    expect(before['ben-4711']).toEqual([24, (12 * 110 + 12 * 111) / 1e6]);
    const count = async (query: string) => Number((await (await store.client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    const satisfactionRows = await count(`SELECT count() AS n FROM ${tableName(store.database, 'satisfaction')}`);
    const driftRows = await count(`SELECT count() AS n FROM ${tableName(store.database, 'drift_tests')}`);
    expect(await count(`SELECT count() AS n FROM ${tableName(store.database, 'digests')}`)).toBe(1);
    const derivedRows = satisfactionRows + driftRows + 1;
    // Calls 1 + 3i hours ago: i = 0..3 in the last 12 hours, 4..11 in the 7 days before; 3 users a feature.
    const driftSamples = `SELECT DISTINCT n_current, n_reference FROM ${tableName(store.database, 'drift_tests')} WHERE subject_kind = 'feature'`;
    expect(await (await store.client.query({ query: driftSamples, format: 'JSONEachRow' })).json()).toEqual([{ n_current: 12, n_reference: 24 }]);

    const report = await eraseUser(store.client, store.database, { userId: 'ben-4711', requestedBy: 'local-cli', config, now: () => NOW });
    // 24 calls; ben's vote and ana's vote on ben's call; both features of a round fall in one hour: 12 hours.
    expect(report).toMatchObject({ spans_deleted: 24, feedback_deleted: 2, alert_rows_deleted: 0, hours_rebuilt: 12 });
    // Both satisfaction windows, the drift run and the digest reached ben's calls: all of their rows went.
    expect(report.aggregate_rows_deleted).toBe(derivedRows);

    // No table holds the id (the rollups' user rows, the spans, the feedback, the erasure record).
    const tables = await store.client.query({ query: `SELECT name FROM system.tables WHERE database = {db:String}`, query_params: { db: store.database }, format: 'JSONEachRow' });
    for (const { name } of await tables.json<{ name: string }>()) {
      const dump = await (await store.client.query({ query: `SELECT * FROM ${tableName(store.database, name as never)}`, format: 'JSONEachRow' })).text();
      expect(dump, name).not.toContain('ben-4711');
    }

    // Others' figures are unchanged, read through the rebuilt rollups; features lose exactly ben's share.
    const after = await byKey('user');
    expect(after).toEqual({ 'ana@example.com': before['ana@example.com'], cy: before.cy });
    expect(await byKey('feature')).toEqual({ search: [24, (12 * 100 + 12 * 120) / 1e6], chat: [24, (12 * 101 + 12 * 121) / 1e6] });

    // The current satisfaction window no longer counts ben's vote or the vote on ben's call.
    const satisfaction = await readSatisfaction(store.client, store.database, 'feature');
    expect(satisfaction.rows.map((row) => [row.key, row.votes])).toEqual([['search', 2]]);
    // The earlier window is gone rather than left counting him; the drift run was made again without his calls.
    const windows = await (await store.client.query({ query: `SELECT DISTINCT window_end FROM ${tableName(store.database, 'satisfaction')}`, format: 'JSONEachRow' })).json<{ window_end: string }>();
    expect(windows.map((row) => Date.parse(`${row.window_end}Z`))).toEqual([satisfactionJob.window(NOW, config).end.getTime()]);
    expect(await (await store.client.query({ query: driftSamples, format: 'JSONEachRow' })).json()).toEqual([{ n_current: 8, n_reference: 16 }]);

    const log = await (await store.client.query({ query: `SELECT requested_by, spans_deleted, feedback_deleted, aggregate_rows_deleted FROM ${tableName(store.database, 'erasure_log')}`, format: 'JSONEachRow' })).json();
    expect(log).toEqual([{ requested_by: 'local-cli', spans_deleted: 24, feedback_deleted: 2, aggregate_rows_deleted: derivedRows }]);
  });
});
