import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '@spanlens/core';
import type { AlertRule, Notification } from '../model';
import { deliver } from './deliver';
import { parseRetryAfter } from './send';
import { reply, startReceiver, type TestReceiver } from './test-receiver';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const rule: AlertRule = {
  name: 'errors', file: 'r.yaml', metric: 'error_rate', filters: {}, group_by: [], window_ms: 60_000,
  condition: { op: '>', threshold: 0.1 }, for_ms: 0, keep_firing_for_ms: 0, min_votes: 0, severity: 'warning',
  labels: {}, annotations: { summary: '', description: '' }, channels: [],
};
const notification = (channels: string[]): Notification => ({
  kind: 'firing',
  rule,
  channels,
  instance: {
    fingerprint: 'abc', rule: 'errors', labels: {}, severity: 'warning', state: 'firing', value: 0.2, baseline: null,
    active_since: T0, firing_since: T0, cleared_since: null, resolved_at: null, last_evaluated: T0, last_notified: T0,
    summary: 'errors at 20%', description: '',
  },
});

let receivers: TestReceiver[] = [];
async function receiver(respond: Parameters<typeof startReceiver>[0]): Promise<TestReceiver> {
  const r = await startReceiver(respond);
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

/** A logger that keeps (level, attempt, status, retry delay) of each entry. */
function recordingLogger() {
  const calls: Array<[string, unknown, unknown, unknown]> = [];
  const entry = (level: string) => (fields: Record<string, unknown>) => calls.push([level, fields.attempt, fields.status, fields.retry_in_ms]);
  const logger = { calls, info: entry('info'), warn: entry('warn'), error: entry('error'), child: () => logger };
  return logger as typeof logger & Logger;
}

const base = { dashboardUrl: 'http://127.0.0.1:4318/', baseDelayMs: 10 };

describe('deliver', () => {
  it('retries a receiver failing with 500 three times and delivers on the fourth attempt', async () => {
    const r = await receiver((res, i) => reply(res, i < 3 ? 500 : 200, i < 3 ? 'boom' : 'ok'));
    const logger = recordingLogger();
    const [outcome] = await deliver(notification(['hook']), { hook: { type: 'webhook', url: r.url } }, { ...base, timeoutMs: 1000, attempts: 5, logger });
    expect(outcome?.ok).toBe(true);
    expect(outcome?.attempts.map((a) => [a.attempt, a.status, a.ok, a.error])).toEqual([
      [1, 500, false, 'HTTP 500: boom'],
      [2, 500, false, 'HTTP 500: boom'],
      [3, 500, false, 'HTTP 500: boom'],
      [4, 200, true, undefined],
    ]);
    // Four requests reached the receiver, all the same message; exactly one was accepted.
    expect(r.requests).toHaveLength(4);
    expect(new Set(r.requests.map((q) => q.body)).size).toBe(1);
    // Backoff doubles from the base: 10, 20, 40 ms between the attempts at least.
    const gaps = r.requests.slice(1).map((q, i) => q.at - r.requests[i]!.at);
    gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(10 * 2 ** i - 2));
    // Every attempt is logged: three failures as warnings with the retry delay, then the delivery.
    expect(logger.calls).toEqual([
      ['warn', 1, 500, 10],
      ['warn', 2, 500, 20],
      ['warn', 3, 500, 40],
      ['info', 4, 200, undefined],
    ]);
  });

  it('gives up after the configured attempts', async () => {
    const r = await receiver((res) => reply(res, 503));
    const [outcome] = await deliver(notification(['hook']), { hook: { type: 'webhook', url: r.url } }, { ...base, timeoutMs: 1000, attempts: 3, logger: createLogger({ level: 'silent' }) });
    expect(outcome?.ok).toBe(false);
    expect(outcome?.attempts.map((a) => a.status)).toEqual([503, 503, 503]);
    expect(r.requests).toHaveLength(3);
  });

  it('does not retry other 4xx answers', async () => {
    const r = await receiver((res) => reply(res, 400, 'invalid_payload'));
    const [outcome] = await deliver(notification(['slack']), { slack: { type: 'slack', url: r.url } }, { ...base, timeoutMs: 1000, attempts: 5, logger: createLogger({ level: 'silent' }) });
    expect(outcome?.attempts).toMatchObject([{ attempt: 1, status: 400, ok: false, error: 'HTTP 400: invalid_payload' }]);
    expect(r.requests).toHaveLength(1);
  });

  it('waits as long as Retry-After asks on 429', async () => {
    const r = await receiver((res, i) => (i === 0 ? reply(res, 429, '', { 'Retry-After': '1' }) : reply(res, 202)));
    const [outcome] = await deliver(notification(['pd']), { pd: { type: 'pagerduty', routing_key: 'k', url: r.url } }, { ...base, timeoutMs: 1000, attempts: 3, logger: createLogger({ level: 'silent' }) });
    expect(outcome?.attempts.map((a) => a.status)).toEqual([429, 202]);
    expect(r.requests[1]!.at - r.requests[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it('does not let a hanging channel delay another', async () => {
    const hanging = await receiver(() => {
      // Never answers.
    });
    const fast = await receiver((res) => reply(res, 200));
    const started = performance.now();
    const outcomes = await deliver(
      notification(['slow', 'fast']),
      { slow: { type: 'webhook', url: hanging.url }, fast: { type: 'slack', url: fast.url } },
      { ...base, timeoutMs: 1500, attempts: 2, logger: createLogger({ level: 'silent' }) },
    );
    const [slow, quick] = outcomes;
    expect(quick).toMatchObject({ channel: 'fast', ok: true });
    expect(fast.requests[0]!.at - started).toBeLessThan(1000);
    expect(quick!.attempts[0]!.duration_ms).toBeLessThan(1000);
    expect(slow).toMatchObject({ channel: 'slow', ok: false });
    expect(slow?.attempts.map((a) => [a.status, a.error])).toEqual([
      [null, 'timed out after 1500 ms'],
      [null, 'timed out after 1500 ms'],
    ]);
    expect(hanging.requests).toHaveLength(2);
  });

  it('reports a refused connection and an unknown channel without throwing', async () => {
    const closed = await receiver((res) => reply(res, 200));
    const url = closed.url;
    await closed.close();
    receivers = [];
    const outcomes = await deliver(notification(['gone', 'typo']), { gone: { type: 'webhook', url } }, { ...base, timeoutMs: 500, attempts: 2, logger: createLogger({ level: 'silent' }) });
    expect(outcomes[0]).toMatchObject({ channel: 'gone', ok: false });
    expect(outcomes[0]?.attempts).toHaveLength(2);
    expect(outcomes[0]?.attempts[0]?.error).toMatch(/ECONNREFUSED|fetch failed/);
    expect(outcomes[1]).toMatchObject({ channel: 'typo', ok: false, attempts: [{ error: 'no channel "typo" in alerts.channels' }] });
  });

  it('delivers nothing for a suppressed notification', async () => {
    expect(await deliver(notification([]), {}, { ...base, timeoutMs: 500, attempts: 1, logger: createLogger({ level: 'silent' }) })).toEqual([]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', T0)).toBe(120_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:30 GMT', T0)).toBe(30_000);
    expect(parseRetryAfter('soon', T0)).toBeUndefined();
    expect(parseRetryAfter(null, T0)).toBeUndefined();
  });
});
