import { afterEach, describe, expect, it } from 'vitest';
import { getCosts, usd } from './support/costs';
import { otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './support/otlp-json';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

// gpt-4o at $2.50 in / $10 out per million: 400 in + 50 out = $0.0015 a call.
const CALL_COST = (400 * 2.5 + 50 * 10) / 1_000_000;
const now = Date.now();
const call = (feature: string, i: number): JsonSpanInput => ({
  startMs: now - 120_000 + i,
  attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 400, 'gen_ai.usage.output_tokens': 50, 'spanlens.feature': feature, 'user.id': `user-${i % 7}` },
});
const range = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() };

async function featureRow(url: string, feature: string) {
  const report = await getCosts(url, { group_by: 'feature', ...range });
  return report.rows.find((row) => row.key === feature) ?? { calls: 0, cost_usd: 0 };
}

describe('nothing acknowledged is lost, nothing delivered twice is counted twice', () => {
  let running: SpanlensProcess | undefined;
  afterEach(async () => {
    await running?.kill9().catch(() => {});
    running = undefined;
  });

  it('counts a request sent twice once', async () => {
    running = await startSpanlensProcess({ dataDir: tempDataDir() });
    const request = otlpJsonRequest(Array.from({ length: 20 }, (_, i) => call('dup', i)));
    expect((await postOtlpJson(running.url, request)).status).toBe(200);
    const first = await featureRow(running.url, 'dup');
    expect((await postOtlpJson(running.url, request)).status).toBe(200);
    const second = await featureRow(running.url, 'dup');
    expect(first.calls).toBe(20);
    expect(second).toEqual(first);
    expect(usd(second.cost_usd)).toBe(usd(20 * CALL_COST));
  });

  it('keeps every span acknowledged before a kill -9', async () => {
    const dataDir = tempDataDir();
    running = await startSpanlensProcess({ dataDir });
    const requests = Array.from({ length: 30 }, (_, r) => otlpJsonRequest(Array.from({ length: 50 }, (_, i) => call('crash', r * 50 + i))));
    // Requests in flight together, so they share group-commit batches.
    const statuses = await Promise.all(requests.map(async (body) => (await postOtlpJson(running!.url, body)).status));
    expect(statuses.every((status) => status === 200)).toBe(true);
    await running.kill9();

    running = await startSpanlensProcess({ dataDir });
    const row = await featureRow(running.url, 'crash');
    expect(row.calls).toBe(1500);
    expect(usd(row.cost_usd)).toBe(usd(1500 * CALL_COST));
  });

  it('stores every accepted span when stopped with Ctrl-C, and exits 0', async () => {
    const dataDir = tempDataDir();
    running = await startSpanlensProcess({ dataDir, env: { SPANLENS_BATCH_MAX_WAIT_MS: '2000' } });
    const url = running.url;
    // With a 2 s batch window these requests are still waiting when SIGINT arrives.
    const pending = Array.from({ length: 5 }, (_, r) => postOtlpJson(url, otlpJsonRequest(Array.from({ length: 10 }, (_, i) => call('sigint', r * 10 + i)))));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = running.interrupt();
    const statuses = await Promise.all(pending.map(async (p) => (await p).status));
    expect(await exit).toBe(0);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);

    running = await startSpanlensProcess({ dataDir });
    expect((await featureRow(running.url, 'sigint')).calls).toBe(50);
  });
});
