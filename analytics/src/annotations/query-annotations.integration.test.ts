import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeedback, insertSpans, normaliseFeedback } from '@spanlens/core';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { queryAnnotations } from './query-annotations';

const TO = new Date('2026-11-20T12:00:00Z');
const FROM = new Date(TO.getTime() - 24 * 3_600_000);
const hoursBefore = (hours: number) => new Date(TO.getTime() - hours * 3_600_000);
const site = { code_file_path: 'src/chat.ts', code_line_number: 42, code_function_name: 'answer' };

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('annotations_test');
  // In the window: 4 calls at src/chat.ts:42 — 3 on gpt-4o ($0.01, $0.02, $0.03), one unpriced; latencies 100..400 ms; one error.
  const calls = [
    spanAt(hoursBefore(1), { ...site, model: 'gpt-4o', cost_usd: 0.01, duration_ms: 100, input_tokens: 100, output_tokens: 10, cache_read_tokens: 50, prompt_id: 'answer', prompt_version: '2' }),
    spanAt(hoursBefore(2), { ...site, model: 'gpt-4o', cost_usd: 0.02, duration_ms: 200, input_tokens: 100, output_tokens: 10, prompt_id: 'answer', prompt_version: '2' }),
    spanAt(hoursBefore(3), { ...site, model: 'gpt-4o', cost_usd: 0.03, duration_ms: 300, input_tokens: 100, output_tokens: 10, is_error: true, prompt_id: 'answer', prompt_version: '2' }),
    spanAt(hoursBefore(4), { ...site, model: 'my-llama', cost_usd: null, unpriced: true, duration_ms: 400, input_tokens: 100, output_tokens: 10, prompt_id: 'answer', prompt_version: '2' }),
  ];
  // A week earlier: 2 calls costing $0.05 in all. Outside both windows: 1 call.
  const before = [
    spanAt(new Date(hoursBefore(2).getTime() - 7 * 86_400_000), { ...site, model: 'gpt-4o', cost_usd: 0.02 }),
    spanAt(new Date(hoursBefore(3).getTime() - 7 * 86_400_000), { ...site, model: 'gpt-4o', cost_usd: 0.03 }),
    spanAt(hoursBefore(30), { ...site, model: 'gpt-4o', cost_usd: 5 }),
  ];
  await insertSpans(store.client, store.database, [...calls, ...before]);
  const vote = (i: number, user: string, score: number) => normaliseFeedback({ trace_id: calls[i]!.trace_id, span_id: calls[i]!.span_id, user_id: user, score }, hoursBefore(0.5));
  await insertFeedback(store.client, store.database, [vote(0, 'a', 1), vote(1, 'b', 1), vote(2, 'c', -1)]);
});
afterAll(async () => {
  await store.close();
});

describe('annotations per call site and prompt', () => {
  it('give the figures the editor shows above src/chat.ts:42', async () => {
    const report = await queryAnnotations(store.client, store.database, { subject: 'callsite', from: FROM, to: TO });
    expect(report.rows).toHaveLength(1);
    const row = report.rows[0]!;
    expect(row).toMatchObject({ key: 'src/chat.ts:42', file: 'src/chat.ts', line: 42, function: 'answer', calls: 4, unpriced_calls: 1, p95_ms: 400 });
    expect(row.cost_usd).toBeCloseTo(0.06, 12);
    // $0.06 over the 3 priced calls.
    expect(row.cost_per_call_usd).toBeCloseTo(0.02, 12);
    expect(row.error_rate).toBe(0.25);
    expect(row.tokens).toEqual({ input: 400, output: 40, cached: 50 });
    expect(row.models.map((m) => [m.model, m.calls])).toEqual([['gpt-4o', 3], ['my-llama', 1]]);
    expect(row.models[0]!.cost_usd).toBeCloseTo(0.06, 12);
    expect(row.previous_week.calls).toBe(2);
    expect(row.previous_week.cost_usd).toBeCloseTo(0.05, 12);
    expect(row.satisfaction).toEqual({ votes: 3, positive: 2, rate: 2 / 3 });
  });

  it('give the same figures per prompt id and version', async () => {
    const report = await queryAnnotations(store.client, store.database, { subject: 'prompt', from: FROM, to: TO });
    expect(report.rows.map((r) => [r.key, r.calls, r.satisfaction.votes])).toEqual([['answer@2', 4, 3]]);
    expect(report.rows[0]!.file).toBeUndefined();
  });
});
