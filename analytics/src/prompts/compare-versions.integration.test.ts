import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeedback, insertSpans, normaliseFeedback } from '@spanlens/core';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { comparePromptVersions } from './compare-versions';

const FROM = new Date('2026-11-20T00:00:00Z');
const TO = new Date('2026-11-21T00:00:00Z');
const at = (minutes: number) => new Date(FROM.getTime() + minutes * 60_000);

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('versions_test');
  const v1 = [[0.01, 900], [0.02, 950], [0.03, 1000]].map(([cost, ms], i) => spanAt(at(10 + i), { prompt_id: 'answer', prompt_version: '1', cost_usd: cost, duration_ms: ms }));
  const v2 = [[0.02, 1000], [0.03, 1200], [0.04, 1100], [0.05, 1300]].map(([cost, ms], i) => spanAt(at(20 + i), { prompt_id: 'answer', prompt_version: '2', cost_usd: cost, duration_ms: ms }));
  const other = spanAt(at(30), { prompt_id: 'other', prompt_version: '1', cost_usd: 9 });
  await insertSpans(store.client, store.database, [...v1, ...v2, other]);
  const vote = (span: (typeof v1)[number], user: string, score: number) => normaliseFeedback({ trace_id: span.trace_id, span_id: span.span_id, user_id: user, score }, at(60));
  await insertFeedback(store.client, store.database, [
    vote(v1[0]!, 'a', 1), vote(v1[0]!, 'b', -1), vote(v1[1]!, 'c', -1), vote(v1[2]!, 'd', -1),
    vote(v2[0]!, 'a', 1), vote(v2[1]!, 'b', 1), vote(v2[2]!, 'c', 1), vote(v2[3]!, 'd', -1),
  ]);
});
afterAll(async () => {
  await store.close();
});

describe('GET /api/v1/prompts/{id}/versions', () => {
  it('compares each version with the busiest one: Welch on cost and latency, two proportions on satisfaction', async () => {
    const report = await comparePromptVersions(store.client, store.database, 'answer', FROM, TO);
    expect(report.versions.map((v) => [v.version, v.calls, v.votes, v.positive])).toEqual([['2', 4, 4, 3], ['1', 3, 4, 1]]);
    expect(report.versions[0]!.cost_usd).toBeCloseTo(0.14, 12);
    const [comparison] = report.comparisons;
    expect(comparison).toMatchObject({ version: '1', control: '2' });
    // scipy.stats.ttest_ind(v1, v2, equal_var=False) and statsmodels' proportions_ztest([1, 3], [4, 4]).
    expect(comparison!.cost_per_call!.t).toBeCloseTo(-1.7320508075688776, 9);
    expect(comparison!.cost_per_call!.df).toBeCloseTo(4.959183673469387, 9);
    expect(comparison!.cost_per_call!.p).toBeCloseTo(0.14429304308394378, 9);
    expect(comparison!.latency_ms!.t).toBeCloseTo(-2.8284271247461907, 9);
    expect(comparison!.latency_ms!.p).toBeCloseTo(0.04640720992647712, 9);
    expect(comparison!.satisfaction!.z).toBeCloseTo(-1.414213562373095, 9);
    expect(comparison!.satisfaction!.p).toBeCloseTo(0.15729920705028516, 9);
  });

  it('has nothing to compare for a prompt with one version', async () => {
    const report = await comparePromptVersions(store.client, store.database, 'other', FROM, TO);
    expect(report.versions).toHaveLength(1);
    expect(report.comparisons).toEqual([]);
  });
});
