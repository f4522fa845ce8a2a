import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeedback, insertSpans, loadConfig, normaliseFeedback, tableName, type LlmSpan } from '@spanlens/core';
import { queryCosts } from '../costs/query-costs';
import { refreshDailyRollup } from '../rollup/daily-rollup';
import { refreshRollup } from '../rollup/refresh-rollup';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { readSatisfaction } from '../satisfaction/read-satisfaction';
import { satisfactionJob } from '../satisfaction/satisfaction-job';
import { eraseUser } from './erase-user';

const HOUR = 3_600_000;
// Recent calls (content expires after 30 days), over the last three days, all in ended hours.
const NOW = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const config = loadConfig({ env: {}, cwd: '/nonexistent' });
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
  await satisfactionJob.run({ client: store.client, database: store.database, config, logger: undefined as never, window: satisfactionJob.window(NOW, config) });
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

    const report = await eraseUser(store.client, store.database, { userId: 'ben-4711', requestedBy: 'local-cli', config, now: () => NOW });
    // 24 calls; ben's vote and ana's vote on ben's call; both features of a round fall in one hour: 12 hours.
    expect(report).toMatchObject({ spans_deleted: 24, feedback_deleted: 2, alert_rows_deleted: 0, hours_rebuilt: 12 });

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

    const log = await (await store.client.query({ query: `SELECT requested_by, spans_deleted, feedback_deleted FROM ${tableName(store.database, 'erasure_log')}`, format: 'JSONEachRow' })).json();
    expect(log).toEqual([{ requested_by: 'local-cli', spans_deleted: 24, feedback_deleted: 2 }]);
  });
});
