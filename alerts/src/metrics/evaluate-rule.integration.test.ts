import { randomBytes } from 'node:crypto';
import { insertFeedback, insertSpans, normaliseFeedback, tableName, type LlmSpan } from '@spanlens/core';
import { makeSpan, openTestStore, type TestStore } from '@spanlens/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, Evaluation, Sample } from '../model';
import { evaluateRule } from './evaluate-rule';

const now = new Date('2025-06-01T12:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** A span that started `agoMs` before now. */
function spanAgo(agoMs: number, overrides: Partial<LlmSpan> = {}): LlmSpan {
  const durationMs = overrides.duration_ms ?? 1000;
  const startNs = BigInt(now.getTime() - agoMs) * 1_000_000n;
  return makeSpan({
    start_time_ns: String(startNs),
    end_time_ns: String(startNs + BigInt(Math.round(durationMs * 1e6))),
    duration_ms: durationMs,
    ...overrides,
  });
}

function times<T>(n: number, make: (i: number) => T): T[] {
  return Array.from({ length: n }, (_, i) => make(i));
}

function rule(overrides: Partial<AlertRule>): AlertRule {
  return {
    name: 'test-rule',
    file: 'test.yaml',
    metric: 'calls',
    filters: {},
    group_by: [],
    window_ms: 5 * MIN,
    condition: { op: '>', threshold: 0 },
    for_ms: 0,
    keep_firing_for_ms: 0,
    min_votes: 30,
    severity: 'warning',
    labels: {},
    annotations: { summary: '', description: '' },
    channels: [],
    ...overrides,
  };
}

function samplesOf(evaluation: Evaluation): Sample[] {
  if (evaluation.kind !== 'ok') throw new Error(`expected samples, got ${JSON.stringify(evaluation)}`);
  return [...evaluation.samples].sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

let store: TestStore;
const evaluate = (r: AlertRule) => evaluateRule(store.client, store.database, r, now);

beforeAll(async () => {
  store = await openTestStore('alerts_metrics_test');
  const spans: LlmSpan[] = [
    // Error rate: 3 failures in 200 calls of (err-a, m1) in the last 5 minutes, 100 clean calls of (err-a, m2).
    ...times(200, (i) => spanAgo(1 + i * 1000, { feature: 'err-a', model: 'm1', is_error: i < 3 })),
    ...times(100, (i) => spanAgo(1 + i * 1000, { feature: 'err-a', model: 'm2' })),
    // Just outside the window on both sides: not counted.
    spanAgo(5 * MIN + 1, { feature: 'err-a', model: 'm1', is_error: true }),
    spanAgo(0, { feature: 'err-a', model: 'm1', is_error: true }),
    spanAgo(-1, { feature: 'err-a', model: 'm1', is_error: true }),

    // Latency against a 7-day baseline (window 15 min).
    ...times(18, (i) => spanAgo(MIN + i * 1000, { feature: 'lat', model: 'slow', duration_ms: 1000 })),
    ...times(2, (i) => spanAgo(MIN + i * 1000, { feature: 'lat', model: 'slow', duration_ms: 9000 })),
    ...times(100, (i) => spanAgo(15 * MIN + HOUR * (i + 1), { feature: 'lat', model: 'slow', duration_ms: 2000 })),
    ...times(10, (i) => spanAgo(MIN + i * 1000, { feature: 'lat', model: 'steady', duration_ms: 3000 })),
    ...times(10, (i) => spanAgo(15 * MIN + HOUR * (i + 1), { feature: 'lat', model: 'steady', duration_ms: 2000 })),
    ...times(3, (i) => spanAgo(MIN + i * 1000, { feature: 'lat', model: 'new', duration_ms: 50_000 })),
    // Older than the baseline window (15 min + 7 days): ignored.
    spanAgo(15 * MIN + 7 * DAY + MIN, { feature: 'lat', model: 'steady', duration_ms: 1 }),

    // Costs over the last 30 minutes: 0.5 + 1.5 priced, one unpriced; one $12 call elsewhere.
    spanAgo(MIN, { feature: 'cost-a', model: 'm1', cost_usd: 0.5 }),
    spanAgo(2 * MIN, { feature: 'cost-a', model: 'm1', cost_usd: 1.5 }),
    spanAgo(3 * MIN, { feature: 'cost-a', model: 'm1', cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true }),
    spanAgo(4 * MIN, { feature: 'cost-b', model: 'm1', cost_usd: 12 }),
    spanAgo(5 * MIN, { feature: 'cost-b', model: 'm1', cost_usd: 0.25 }),

    // Hourly cost and calls against the 24 hours before the last hour: $3 and 5 calls now; $24 and 48 calls before.
    ...times(5, (i) => spanAgo(MIN + i * MIN, { feature: 'spend', cost_usd: 0.6 })),
    ...times(48, (i) => spanAgo(HOUR + 1 + i * 30 * MIN, { feature: 'spend', cost_usd: 0.5 })),

    // Performance over the last 5 minutes.
    spanAgo(MIN, { feature: 'perf', duration_ms: 2000, ttft_ms: 500, output_tokens: 300, input_tokens: 1000, cache_read_tokens: 250 }),
    spanAgo(2 * MIN, { feature: 'perf', duration_ms: 1000, ttft_ms: null, output_tokens: 100, input_tokens: 3000, cache_read_tokens: 0 }),
    spanAgo(3 * MIN, { feature: 'perf', duration_ms: 4000, ttft_ms: 1000, output_tokens: 0, input_tokens: 0, cache_read_tokens: 0 }),

    // Users: u1 fails 1 of 2 calls, u2 none of 4.
    ...times(2, (i) => spanAgo(MIN, { feature: 'users', user_id: 'u1', is_error: i === 0 })),
    ...times(4, () => spanAgo(MIN, { feature: 'users', user_id: 'u2' })),
  ];
  await insertSpans(store.client, store.database, spans);
  // A span delivered twice is counted once.
  await insertSpans(store.client, store.database, spans.filter((span) => span.feature === 'err-a' && span.model === 'm1' && !span.is_error).slice(0, 10));
});

afterAll(async () => {
  await store?.close();
});

describe('evaluateRule on span metrics', () => {
  it('error rate per feature and model: 3/200 = 0.015 breaches > 0.01', async () => {
    const samples = samplesOf(await evaluate(rule({ metric: 'error_rate', filters: { feature: 'err-a' }, group_by: ['feature', 'model'], condition: { op: '>', threshold: 0.01 } })));
    expect(samples).toEqual([
      { labels: { feature: 'err-a', model: 'm1' }, value: 0.015, breaching: true },
      { labels: { feature: 'err-a', model: 'm2' }, value: 0, breaching: false },
    ]);
  });

  it('filters by model and counts each span once', async () => {
    const samples = samplesOf(await evaluate(rule({ metric: 'calls', filters: { feature: 'err-a', model: 'm1' }, condition: { op: '>=', threshold: 200 } })));
    expect(samples).toEqual([{ labels: {}, value: 200, breaching: true }]);
  });

  it('p95 latency against twice its 7-day value, per model', async () => {
    const samples = samplesOf(await evaluate(rule({
      metric: 'latency_p95_ms', filters: { feature: 'lat' }, group_by: ['model'], window_ms: 15 * MIN,
      condition: { op: '>', baseline: { window_ms: 7 * DAY, factor: 2 } },
    })));
    expect(samples).toEqual([
      // Only 3 calls and no history: no baseline, so it cannot breach a relative condition.
      { labels: { model: 'new' }, value: 50_000, breaching: false },
      { labels: { model: 'slow' }, value: 9000, baseline: 2000, breaching: true },
      { labels: { model: 'steady' }, value: 3000, baseline: 2000, breaching: false },
    ]);
  });

  it('cost totals, per call, per hour, unpriced calls and the most expensive call', async () => {
    const cost = (metric: AlertRule['metric'], threshold = 0) =>
      evaluate(rule({ metric, filters: { model: 'm1' }, group_by: ['feature'], window_ms: 30 * MIN, condition: { op: '>', threshold } })).then(samplesOf);
    const byFeature = (samples: Sample[]) => Object.fromEntries(samples.filter((s) => s.labels.feature?.startsWith('cost-')).map((s) => [s.labels.feature, s.value]));
    expect(byFeature(await cost('cost_total'))).toEqual({ 'cost-a': 2, 'cost-b': 12.25 });
    expect(byFeature(await cost('cost_per_call'))).toEqual({ 'cost-a': 1, 'cost-b': 6.125 });
    expect(byFeature(await cost('cost_per_hour'))).toEqual({ 'cost-a': 4, 'cost-b': 24.5 });
    expect(byFeature(await cost('unpriced_calls'))).toEqual({ 'cost-a': 1, 'cost-b': 0 });
    const anomalies = (await cost('call_cost_max', 10)).filter((s) => s.labels.feature?.startsWith('cost-'));
    expect(anomalies).toEqual([
      { labels: { feature: 'cost-a' }, value: 1.5, breaching: false },
      { labels: { feature: 'cost-b' }, value: 12, breaching: true },
    ]);
  });

  it('hourly cost against the 24-hour average, and calls against the average per window', async () => {
    const relative = { op: '>' as const, baseline: { window_ms: DAY, factor: 2 } };
    const perHour = samplesOf(await evaluate(rule({ metric: 'cost_per_hour', filters: { feature: 'spend' }, window_ms: HOUR, condition: relative })));
    expect(perHour.map((s) => ({ ...s, value: round(s.value), baseline: round(s.baseline!) }))).toEqual([{ labels: {}, value: 3, baseline: 1, breaching: true }]);
    const calls = samplesOf(await evaluate(rule({ metric: 'calls', filters: { feature: 'spend' }, window_ms: HOUR, condition: relative })));
    expect(calls).toEqual([{ labels: {}, value: 5, baseline: 2, breaching: true }]);
  });

  it('latency percentiles, TTFT, generation speed and cache hits', async () => {
    const value = async (metric: AlertRule['metric']) => samplesOf(await evaluate(rule({ metric, filters: { feature: 'perf' } })))[0]!.value;
    expect(await value('latency_p50_ms')).toBe(2000);
    expect(await value('latency_p99_ms')).toBe(4000);
    expect(await value('call_latency_max_ms')).toBe(4000);
    // TTFTs 500 and 1000; the call without one is left out.
    expect(await value('ttft_p95_ms')).toBe(1000);
    // (300 + 100) tokens over (2000 − 500) + 1000 ms of generation; the call without output is left out.
    expect(await value('tokens_per_second')).toBe(160);
    // 250 cache-read tokens of 4000 input tokens.
    expect(await value('cache_hit_rate')).toBe(0.0625);
  });

  it('user error rate groups by user', async () => {
    const samples = samplesOf(await evaluate(rule({ metric: 'user_error_rate', filters: { feature: 'users' }, condition: { op: '>=', threshold: 0.5 } })));
    expect(samples).toEqual([
      { labels: { user: 'u1' }, value: 0.5, breaching: true },
      { labels: { user: 'u2' }, value: 0, breaching: false },
    ]);
  });

  it('no calls in the window is no_data, and a failing query is an error value', async () => {
    expect(await evaluate(rule({ metric: 'error_rate', filters: { feature: 'nothing-here' } }))).toEqual({ kind: 'no_data' });
    expect(await evaluate(rule({ metric: 'cost_per_call', filters: { feature: 'users' }, window_ms: 1000 }))).toEqual({ kind: 'no_data' });
    const failed = await evaluateRule(store.client, 'no_such_database', rule({ metric: 'calls' }), now);
    expect(failed.kind).toBe('error');
  });
});

function round(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

describe('evaluateRule on satisfaction', () => {
  it('counts the latest vote per feedback id, attributes trace votes to the last call, and needs min_votes', async () => {
    const hex = (bytes: number) => randomBytes(bytes).toString('hex');
    const answered = (feature: string) => spanAgo(10 * MIN, { feature, prompt_id: 'answer', prompt_version: '3' });
    const a = times(5, () => answered('sat-a'));
    // A trace of two calls: the vote on the trace counts for the later one (sat-a), not for sat-other.
    const traceId = hex(16);
    const first = spanAgo(12 * MIN, { trace_id: traceId, feature: 'sat-other', prompt_id: 'answer', prompt_version: '3', duration_ms: 500 });
    const last = spanAgo(11 * MIN, { trace_id: traceId, feature: 'sat-a', prompt_id: 'answer', prompt_version: '3', duration_ms: 500 });
    const b = times(3, () => answered('sat-b'));
    await insertSpans(store.client, store.database, [...a, first, last, ...b]);

    const at = (agoMs: number) => new Date(now.getTime() - agoMs);
    const vote = (span: LlmSpan, score: number, agoMs = 5 * MIN, id?: string, receivedAgoMs = agoMs) =>
      normaliseFeedback({ trace_id: span.trace_id, span_id: span.span_id, score, created_at: at(agoMs).toISOString(), ...(id ? { id } : {}) }, at(receivedAgoMs));
    await insertFeedback(store.client, store.database, [
      vote(a[0]!, 1),
      vote(a[1]!, 0.8),
      vote(a[2]!, 0.5),
      vote(a[3]!, -1),
      vote(a[4]!, 0.2),
      // Changed from thumbs down to thumbs up: the later version counts.
      vote(a[0]!, -1, 6 * MIN, 'changed', 6 * MIN),
      vote(a[0]!, 1, 6 * MIN, 'changed', 4 * MIN),
      // On the whole trace.
      normaliseFeedback({ trace_id: traceId, score: -1, created_at: at(5 * MIN).toISOString() }, at(5 * MIN)),
      // Outside the hour, and on a trace Spanlens never saw: not counted.
      vote(a[1]!, -1, 2 * HOUR, 'old'),
      normaliseFeedback({ trace_id: hex(16), score: -1, created_at: at(MIN).toISOString() }, at(MIN)),
      ...b.map((span) => vote(span, -1)),
    ]);

    const satisfaction = rule({ metric: 'satisfaction_rate', group_by: ['feature', 'prompt'], window_ms: HOUR, min_votes: 5, condition: { op: '<', threshold: 0.7 } });
    // sat-a: positive 1, 0.8, 0.5, changed→1 of 7 votes (−1, 0.2 and the trace's −1 are not) = 4/7; sat-b has 3 votes, under min_votes.
    expect(samplesOf(await evaluate(satisfaction))).toEqual([
      { labels: { feature: 'sat-a', prompt: 'answer@3' }, value: 4 / 7, breaching: true },
    ]);
    expect(samplesOf(await evaluate({ ...satisfaction, min_votes: 3, filters: { prompt: 'answer' } })).map((s) => [s.labels.feature, s.value])).toEqual([
      ['sat-a', 4 / 7],
      ['sat-b', 0],
    ]);
    expect(await evaluate({ ...satisfaction, min_votes: 8 })).toEqual({ kind: 'no_data' });
  });
});

describe('evaluateRule on drift', () => {
  it('reads the latest drift run in the window: 1 per prompt with a drifted test, else 0', async () => {
    const clock = (agoMs: number) => new Date(now.getTime() - agoMs).toISOString().slice(0, 19).replace('T', ' ');
    const test = (windowAgo: number, kind: string, subject: string, metric: string, drifted: number) => ({
      window_end: clock(windowAgo), current_start: clock(windowAgo + DAY), current_end: clock(windowAgo),
      reference_start: clock(windowAgo + 8 * DAY), reference_end: clock(windowAgo + DAY),
      subject_kind: kind, subject, metric, n_current: 500, n_reference: 3000, d: drifted ? 0.3 : 0.02,
      p_value: drifted ? 1e-6 : 0.6, p_adjusted: drifted ? 1e-5 : 0.8, method: 'asymp', drifted, computed_at: `${clock(windowAgo)}.000`,
    });
    await store.client.insert({
      table: tableName(store.database, 'drift_tests'),
      format: 'JSONEachRow',
      values: [
        test(3 * HOUR, 'prompt', 'old', 'duration_ms', 1),
        test(HOUR, 'prompt', 'p1', 'duration_ms', 0),
        test(HOUR, 'prompt', 'p1', 'output_tokens', 1),
        test(HOUR, 'prompt', 'p2', 'duration_ms', 0),
        test(HOUR, 'feature', 'f1', 'duration_ms', 1),
        // A run after `now`: not yet seen.
        test(-HOUR, 'prompt', 'p2', 'duration_ms', 1),
      ],
    });
    const drift = rule({ metric: 'drift_detected', group_by: ['prompt'], window_ms: DAY, condition: { op: '>', threshold: 0 } });
    expect(samplesOf(await evaluate(drift))).toEqual([
      { labels: { prompt: 'p1' }, value: 1, breaching: true },
      { labels: { prompt: 'p2' }, value: 0, breaching: false },
    ]);
    expect(samplesOf(await evaluate({ ...drift, group_by: [], filters: { prompt: 'p2@4' } }))).toEqual([{ labels: {}, value: 0, breaching: false }]);
    expect(samplesOf(await evaluate({ ...drift, group_by: ['feature'] }))).toEqual([{ labels: { feature: 'f1' }, value: 1, breaching: true }]);
    // No run in the last 30 minutes.
    expect(await evaluate({ ...drift, window_ms: 30 * MIN })).toEqual({ kind: 'no_data' });
  });
});
