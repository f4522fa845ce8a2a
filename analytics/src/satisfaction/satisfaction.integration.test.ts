import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, insertFeedback, insertSpans, loadConfig, normaliseFeedback, type FeedbackInput } from '@spanlens/core';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { readSatisfaction } from './read-satisfaction';
import { satisfactionJob } from './satisfaction-job';

const END = new Date('2026-11-20T12:00:00Z');
const hoursBefore = (hours: number) => new Date(END.getTime() - hours * 3_600_000);
const trace = (n: number) => n.toString(16).padStart(32, '0');
const span = (n: number) => n.toString(16).padStart(16, '0');

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('satisfaction_test');
  const call = (traceN: number, spanN: number, at: Date, overrides: Parameters<typeof spanAt>[1]) =>
    spanAt(at, { trace_id: trace(traceN), span_id: span(spanN), ...overrides });
  await insertSpans(store.client, store.database, [
    // Trace 1: an answer (A), then a rerank call (B) that ends last.
    call(1, 0xa, hoursBefore(2), { feature: 'search', prompt_id: 'answer', prompt_version: '1', model: 'gpt-4o', cost_usd: 0.01 }),
    call(1, 0xb, new Date(hoursBefore(2).getTime() + 2_000), { feature: 'search', prompt_id: 'rerank', prompt_version: '2', model: 'gpt-4o-mini', cost_usd: 0.002 }),
    call(2, 0xc, hoursBefore(3), { feature: 'chat', prompt_id: 'answer', prompt_version: '2', model: 'gpt-4o', cost_usd: 0.02 }),
    call(3, 0xd, hoursBefore(4), { feature: 'chat', prompt_id: 'answer', prompt_version: '2', model: 'gpt-4o', cost_usd: 0.03 }),
  ]);
  const at = (hours: number, received = 0) => new Date(hoursBefore(hours).getTime() + received);
  const vote = (input: FeedbackInput, received: Date) => normaliseFeedback({ created_at: received.toISOString(), ...input }, received);
  await insertFeedback(store.client, store.database, [
    vote({ trace_id: trace(1), span_id: span(0xa), user_id: 'u1', score: 1 }, at(1)),
    vote({ trace_id: trace(1), span_id: span(0xa), user_id: 'u2', score: 1 }, at(1)),
    vote({ trace_id: trace(1), span_id: span(0xa), user_id: 'u3', score: -1 }, at(1)),
    // On the whole trace: counts for its last call, B.
    vote({ trace_id: trace(1), user_id: 'u4', score: 0.9 }, at(1)),
    // u1 changes their mind on C: the later vote replaces the first.
    vote({ trace_id: trace(2), span_id: span(0xc), user_id: 'u1', score: -1 }, at(2)),
    vote({ trace_id: trace(2), span_id: span(0xc), user_id: 'u1', score: 1 }, at(2, 60_000)),
    vote({ trace_id: trace(2), span_id: span(0xc), user_id: 'u2', score: 0.2 }, at(2)),
    // A trace never stored, and a vote from before the window.
    vote({ trace_id: trace(99), user_id: 'u1', score: 1 }, at(1)),
    vote({ trace_id: trace(3), span_id: span(0xd), user_id: 'u1', score: -1 }, at(30)),
  ]);
});
afterAll(async () => {
  await store.close();
});

async function runJob() {
  return satisfactionJob.run({
    client: store.client,
    database: store.database,
    config: loadConfig({ env: {}, cwd: '/nonexistent' }),
    logger: createLogger({ level: 'silent' }),
    window: satisfactionJob.window(END, loadConfig({ env: {}, cwd: '/nonexistent' })),
  });
}

// Wilson 95% bounds worked out with the closed formula in Python (z = 1.959963984540054).
const wilson = {
  '3/4': [0.30064184258240184, 0.9544127391902995],
  '1/2': [0.09453120573423074, 0.9054687942657693],
  '2/3': [0.2076596008020477, 0.9385080552796037],
  '1/1': [0.20654931437723745, 1.0],
  '3/5': [0.2307242812760128, 0.882379225767352],
} as const;
const expectRow = (row: { votes: number; positive: number; wilson_low: number; wilson_high: number; rate: number } | undefined, positive: number, votes: number) => {
  expect(row).toMatchObject({ votes, positive });
  expect(row!.rate).toBeCloseTo(positive / votes, 12);
  const [low, high] = wilson[`${positive}/${votes}` as keyof typeof wilson];
  expect(row!.wilson_low).toBeCloseTo(low, 9);
  expect(row!.wilson_high).toBeCloseTo(high, 9);
};

describe('the satisfaction job', () => {
  it('computes the rate, its Wilson interval, votes and cost per positive answer per feature, prompt and model', async () => {
    const result = await runJob();
    expect(result.detail).toBe('6 votes in 7 groups; 1 for traces not stored');

    const features = await readSatisfaction(store.client, store.database, 'feature');
    expect(features.window).toEqual({ start: '2026-11-19T12:00:00.000Z', end: '2026-11-20T12:00:00.000Z' });
    const search = features.rows.find((row) => row.key === 'search');
    const chat = features.rows.find((row) => row.key === 'chat');
    expectRow(search, 3, 4);
    expectRow(chat, 1, 2);
    // search: calls A and B cost $0.012 for 3 positive votes; chat: C and D cost $0.05 for 1.
    expect(search).toMatchObject({ calls: 2 });
    expect(search!.cost_usd).toBeCloseTo(0.012, 12);
    expect(search!.cost_per_positive_usd).toBeCloseTo(0.004, 12);
    expect(chat!.cost_per_positive_usd).toBeCloseTo(0.05, 12);

    const prompts = await readSatisfaction(store.client, store.database, 'prompt');
    expectRow(prompts.rows.find((row) => row.key === 'answer@1'), 2, 3);
    expectRow(prompts.rows.find((row) => row.key === 'rerank@2'), 1, 1);
    expectRow(prompts.rows.find((row) => row.key === 'answer@2'), 1, 2);

    const models = await readSatisfaction(store.client, store.database, 'model');
    expectRow(models.rows.find((row) => row.key === 'gpt-4o'), 3, 5);
    expectRow(models.rows.find((row) => row.key === 'gpt-4o-mini'), 1, 1);
  });

  it('changes nothing when the same window runs again', async () => {
    const before = await readSatisfaction(store.client, store.database, 'prompt');
    await runJob();
    const after = await readSatisfaction(store.client, store.database, 'prompt');
    expect(after.rows).toEqual(before.rows);
    const count = await store.client.query({ query: 'SELECT count() AS n FROM satisfaction_test.satisfaction FINAL', format: 'JSONEachRow' });
    expect((await count.json<{ n: string | number }>()).map((row) => Number(row.n))).toEqual([7]);
  });
});
