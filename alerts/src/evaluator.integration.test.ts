import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, insertSpans, loadConfig } from '@spanlens/core';
import { makeSpan, openTestStore, type TestStore } from '@spanlens/core/testing';
import { AlertEvaluator } from './evaluator';
import type { AlertRule } from './model';
import { startReceiver, type TestReceiver } from './notifiers/test-receiver';

const MIN = 60_000;
let store: TestStore;
let hook: TestReceiver;
beforeAll(async () => {
  store = await openTestStore('alerts_replicas_test');
  hook = await startReceiver((res) => {
    res.statusCode = 200;
    res.end('ok');
  });
});
afterAll(async () => {
  await hook.close();
  await store.close();
});

const rule: AlertRule = {
  name: 'busy', file: 'replicas.yaml', metric: 'calls', filters: {}, group_by: ['feature'], window_ms: 60 * MIN,
  condition: { op: '>', threshold: 1 }, for_ms: 0, keep_firing_for_ms: 0, min_votes: 0, severity: 'warning',
  labels: {}, annotations: { summary: '{{ labels.feature }} is busy', description: '{{ value }} calls' }, channels: ['hook'],
};

describe('several evaluator replicas on one store', () => {
  it('send each notification once: the firing page, no repeat, and the resolve', async () => {
    const start = Date.now();
    const nowNs = BigInt(start - 5 * MIN) * 1_000_000n;
    await insertSpans(store.client, store.database, [0, 1, 2].map((i) => makeSpan({ feature: 'search', start_time_ns: String(nowNs + BigInt(i)), end_time_ns: String(nowNs + 1_000_000_000n) })));
    const config = loadConfig({ env: {}, cwd: '/nonexistent' }).alerts;
    config.channels = { hook: { type: 'webhook', url: hook.url } };
    config.evaluation_interval_ms = 1_000;
    let clock = start;
    const replica = (name: string) =>
      new AlertEvaluator({ client: store.client, database: store.database, config, rules: [rule], logger: createLogger({ level: 'silent' }), replica: name, now: () => clock });
    const [a, b] = [replica('a'), replica('b')];

    // Both evaluate the same tick at once: one page between them.
    const [first, second] = await Promise.all([a.evaluateOnce(), b.evaluateOnce()]);
    expect(first.firing).toBe(1);
    expect(second.firing).toBe(1);
    expect(first.notifications.sent + second.notifications.sent).toBe(1);
    expect(first.notifications.claimed_elsewhere + second.notifications.claimed_elsewhere).toBe(1);
    expect(hook.requests).toHaveLength(1);
    expect(JSON.parse(hook.requests[0]!.body)).toMatchObject({ status: 'firing', alerts: [{ labels: { alertname: 'busy', feature: 'search' } }] });

    // The next tick: still firing, nothing new from either.
    clock += 1_000;
    await Promise.all([a.evaluateOnce(), b.evaluateOnce()]);
    expect(hook.requests).toHaveLength(1);

    // The calls leave the window while other traffic goes on: exactly one resolve.
    const laterNs = BigInt(start + 55 * MIN) * 1_000_000n;
    await insertSpans(store.client, store.database, [makeSpan({ feature: 'chat', start_time_ns: String(laterNs), end_time_ns: String(laterNs + 1_000_000_000n) })]);
    clock += 60 * MIN;
    await Promise.all([a.evaluateOnce(), b.evaluateOnce()]);
    clock += 1_000;
    await Promise.all([a.evaluateOnce(), b.evaluateOnce()]);
    expect(hook.requests.map((r) => JSON.parse(r.body).status)).toEqual(['firing', 'resolved']);
  });
});
