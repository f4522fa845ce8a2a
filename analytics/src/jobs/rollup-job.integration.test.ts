import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, insertSpans } from '@spanlens/core';
import { selectRows } from '@spanlens/core/testing';
import { queryCosts } from '../costs/query-costs';
import { readFreshHours } from '../rollup/hour-states';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { rollupJob } from './rollup-job';
import { runJob } from './run-job';
import { captureLogger, type LogLine } from './test-jobs';

const H = Date.UTC(2026, 5, 1, 8) / 1000; // 2026-06-01T08:00:00Z, in seconds
const at = (minutes: number) => new Date((H + minutes * 60) * 1000);
const config = configSchema.parse({});

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('rollup_job_test');
});
afterAll(async () => {
  await store.close();
});

/** The feature rows readers use: each hour's latest complete snapshot. */
async function currentRollup(): Promise<Array<{ hour: number; feature: string; calls: string; cost: string }>> {
  return selectRows(
    store.client,
    `SELECT toUnixTimestamp(hour) AS hour, key AS feature, toString(sum(calls)) AS calls, toString(sum(cost_usd)) AS cost
     FROM rollup_job_test.llm_spans_hourly
     WHERE dimension = 'feature' AND (hour, snapshot_version) IN (
       SELECT hour, argMax(snapshot_version, state_rank) FROM rollup_job_test.rollup_snapshots
       GROUP BY hour HAVING argMax(complete, state_rank) = 1)
     GROUP BY hour, feature ORDER BY hour, feature`,
  );
}

const run = (windowEnd: Date) => runJob(rollupJob, windowEnd, { client: store.client, database: store.database, config, logger: captureLogger([]) });

describe('the rollup job', () => {
  it('covers the hour that ended last, and the same window run again leaves the figures unchanged', async () => {
    const hourSpans = [
      spanAt(at(5), { feature: 'chat', cost_usd: 0.1 }),
      spanAt(at(20), { feature: 'chat', cost_usd: 0.25 }),
      spanAt(at(40), { feature: 'search', cost_usd: 0.5 }),
    ];
    await insertSpans(store.client, store.database, [...hourSpans, spanAt(at(130), { feature: 'later', cost_usd: 1 })]);
    const windowEnd = at(65); // 09:05: the hour that ended last is 08:00–09:00.

    const first = await run(windowEnd);
    expect(first).toMatchObject({
      job: 'rollup',
      window_start: '2026-06-01T08:00:00.000Z',
      window_end: '2026-06-01T09:00:00.000Z',
      outcome: 'ok',
      rows: 1,
      detail: '1 hour refreshed',
    });
    // 10:00–11:00 is after the window: not rolled up by this run.
    const fresh = await readFreshHours(store.client, store.database, { from: H, to: H + 4 * 3600 });
    expect([...fresh.keys()]).toEqual([H]);
    const afterFirst = await currentRollup();
    expect(afterFirst).toEqual([
      { hour: H, feature: 'chat', calls: '2', cost: '0.35' },
      { hour: H, feature: 'search', calls: '1', cost: '0.5' },
    ]);
    const range = { groupBy: 'feature' as const, from: at(0), to: at(60) };
    const costsFirst = await queryCosts(store.client, store.database, range);
    expect(costsFirst.total_cost_usd).toBe(0.85);

    // The hour's spans delivered again make it stale; the same window recomputes it whole.
    await insertSpans(store.client, store.database, hourSpans);
    const second = await run(windowEnd);
    expect(second).toMatchObject({ window_end: first.window_end, outcome: 'ok', rows: 1 });
    expect(await currentRollup()).toEqual(afterFirst);
    expect(await queryCosts(store.client, store.database, range)).toEqual(costsFirst);

    // Nothing stale any more: a third run refreshes nothing and changes nothing.
    expect(await run(windowEnd)).toMatchObject({ outcome: 'ok', rows: 0, detail: '0 hours refreshed' });
    expect(await currentRollup()).toEqual(afterFirst);

    const recorded = await selectRows<{ outcome: string; rows: string; window_end: string }>(
      store.client,
      `SELECT outcome, toString(rows) AS rows, toString(window_end) AS window_end FROM rollup_job_test.job_runs WHERE job = 'rollup' ORDER BY started_at`,
    );
    expect(recorded).toEqual([
      { outcome: 'ok', rows: '1', window_end: '2026-06-01 09:00:00' },
      { outcome: 'ok', rows: '1', window_end: '2026-06-01 09:00:00' },
      { outcome: 'ok', rows: '0', window_end: '2026-06-01 09:00:00' },
    ]);
  });

  it('answers a failed run with why, and logs it, even when the run cannot be recorded', async () => {
    const logs: LogLine[] = [];
    const failing = await runJob(rollupJob, at(65), { client: store.client, database: 'no_such_database', config, logger: captureLogger(logs) });
    expect(failing).toMatchObject({ job: 'rollup', outcome: 'failed', rows: 0 });
    expect(failing.detail).toContain('no_such_database');
    expect(logs.filter((line) => line.level === 'error').map((line) => line.msg)).toEqual([
      `job rollup failed: ${failing.detail}`,
      'the run of job rollup could not be recorded in job_runs',
    ]);
  });
});
