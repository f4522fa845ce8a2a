import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, insertSpans, loadConfig, type LlmSpan } from '@spanlens/core';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { createSeededRandom } from '../stats/seeded-random';
import { driftJob } from './drift-job';
import { readDrift } from './read-drift';

const END = new Date('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const config = loadConfig({ env: {}, cwd: '/nonexistent' });

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('drift_test');
  const random = createSeededRandom(7);
  const spans: LlmSpan[] = [];
  // `count` calls spread over [fromHours, toHours) before END, input tokens uniform in [low, low + 100).
  const calls = (feature: string, promptId: string, count: number, fromHours: number, toHours: number, low: number) => {
    for (let i = 0; i < count; i++) {
      const at = new Date(END.getTime() - fromHours * HOUR + ((fromHours - toHours) * HOUR * i) / count);
      spans.push(spanAt(at, {
        feature,
        prompt_id: promptId,
        input_tokens: Math.floor(low + random.uniform() * 100),
        output_tokens: Math.floor(20 + random.uniform() * 40),
        duration_ms: 500 + random.uniform() * 1000,
        cost_usd: 0.001 + random.uniform() * 0.001,
      }));
    }
  };
  // Reference: the 7 days before the last 24 h. Current: the last 24 h.
  calls('stable', 'answer', 600, 24 * 8, 24, 100);
  calls('stable', 'answer', 400, 24, 0, 100);
  calls('shifted', 'summarise', 600, 24 * 8, 24, 100);
  calls('shifted', 'summarise', 400, 24, 0, 160);
  // Too little traffic to test.
  calls('rare', 'rare-prompt', 50, 24 * 8, 24, 100);
  calls('rare', 'rare-prompt', 50, 24, 0, 300);
  await insertSpans(store.client, store.database, spans);
});
afterAll(async () => {
  await store.close();
});

const run = () =>
  driftJob.run({ client: store.client, database: store.database, config, logger: createLogger({ level: 'silent' }), window: driftJob.window(END, config) });

describe('the drift job', () => {
  it('flags the shifted input tokens of one feature and prompt, and nothing of the unshifted ones', async () => {
    await run();
    const report = await readDrift(store.client, store.database);
    expect(report.current).toEqual({ start: '2026-11-19T12:00:00.000Z', end: '2026-11-20T12:00:00.000Z' });
    expect(report.reference).toEqual({ start: '2026-11-12T12:00:00.000Z', end: '2026-11-19T12:00:00.000Z' });
    // 2 subjects of each kind with enough traffic × 4 metrics; "rare" has 50 calls a side, under 200.
    expect(report.tests).toHaveLength(16);
    expect(report.tests.some((test) => test.subject === 'rare' || test.subject === 'rare-prompt')).toBe(false);

    const drifted = report.tests.filter((test) => test.drifted).map((test) => `${test.subject_kind}:${test.subject}:${test.metric}`).sort();
    expect(drifted).toEqual(['feature:shifted:input_tokens', 'prompt:summarise:input_tokens']);
    // Uniform on [100, 200) against [160, 260): the CDFs are 0.6 apart at 160.
    const shifted = report.tests.find((test) => test.subject === 'shifted' && test.metric === 'input_tokens')!;
    expect(shifted.d).toBeGreaterThan(0.5);
    expect(shifted.d).toBeLessThan(0.7);
    expect(shifted).toMatchObject({ n_current: 400, n_reference: 600 });
    expect(shifted.p_adjusted).toBeLessThan(1e-20);
    for (const test of report.tests) expect(test.p_adjusted).toBeGreaterThanOrEqual(test.p_value);
  });

  it('stores the same results when the same window runs again', async () => {
    const before = await readDrift(store.client, store.database);
    await run();
    const after = await readDrift(store.client, store.database);
    expect(after.tests).toEqual(before.tests);
    const count = await store.client.query({ query: 'SELECT count() AS n FROM drift_test.drift_tests FINAL', format: 'JSONEachRow' });
    expect((await count.json<{ n: string | number }>()).map((row) => Number(row.n))).toEqual([16]);
  });

  it('uses a pinned baseline as the reference when one is configured', async () => {
    const pinned = loadConfig({ env: {}, cwd: '/nonexistent' });
    pinned.drift.baseline = { from: '2026-11-12T12:00:00Z', to: '2026-11-15T12:00:00Z' };
    await driftJob.run({ client: store.client, database: store.database, config: pinned, logger: createLogger({ level: 'silent' }), window: driftJob.window(END, pinned) });
    const report = await readDrift(store.client, store.database);
    expect(report.reference).toEqual({ start: '2026-11-12T12:00:00.000Z', end: '2026-11-15T12:00:00.000Z' });
    expect(report.tests.find((test) => test.subject === 'stable' && test.metric === 'input_tokens')?.n_reference).toBeGreaterThan(200);
  });
});
