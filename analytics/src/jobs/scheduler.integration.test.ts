import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, SpanlensError } from '@spanlens/core';
import { openTestStore, selectRows, type TestStore } from '@spanlens/core/testing';
import { JobScheduler } from './scheduler';
import { captureLogger, sleep, testJob, waitFor, type LogLine } from './test-jobs';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('jobs_test');
});
afterAll(async () => {
  await store.close();
});

interface RunRow {
  job: string;
  window_end: string;
  started_ms: string;
  finished_ms: string;
  outcome: string;
  rows: string;
  detail: string;
}

/** job_runs as stored, read with SQL of its own rather than through the code under test. */
async function storedRuns(job: string): Promise<RunRow[]> {
  return selectRows<RunRow>(
    store.client,
    `SELECT job, toString(window_end) AS window_end, toString(toUnixTimestamp64Milli(started_at)) AS started_ms,
            toString(toUnixTimestamp64Milli(finished_at)) AS finished_ms, outcome, toString(rows) AS rows, detail
     FROM jobs_test.job_runs WHERE job = {job:String} ORDER BY started_at`,
    { job },
  );
}

function scheduler(jobs: ConstructorParameters<typeof JobScheduler>[0]['jobs'], logs: LogLine[], extra: { schedules?: Record<string, string>; schedule?: boolean } = {}) {
  const config = configSchema.parse({ jobs: { schedules: extra.schedules ?? {} } });
  return new JobScheduler({ jobs, client: store.client, database: store.database, config, logger: captureLogger(logs), schedule: extra.schedule });
}

describe('JobScheduler', () => {
  it('keeps running other jobs when one fails, and retries the failing one on its next tick', async () => {
    let steadyRuns = 0;
    let flakyAttempts = 0;
    const logs: LogLine[] = [];
    const jobs = scheduler(
      [
        testJob('steady', async () => ({ rows: ++steadyRuns, detail: `run ${steadyRuns}` })),
        testJob('flaky', async () => {
          flakyAttempts += 1;
          throw new Error('upstream refused: quota exceeded');
        }),
      ],
      logs,
    );
    jobs.start();
    try {
      await waitFor('three runs of each job', () => steadyRuns >= 3 && flakyAttempts >= 3);
    } finally {
      await jobs.stop();
    }

    const flaky = await storedRuns('flaky');
    expect(flaky.length).toBe(flakyAttempts);
    expect(flaky.every((run) => run.outcome === 'failed' && run.detail === 'upstream refused: quota exceeded' && run.rows === '0')).toBe(true);
    // One attempt per tick: each retry covers the next second's window.
    expect(new Set(flaky.map((run) => run.window_end)).size).toBe(flaky.length);

    const steady = await storedRuns('steady');
    expect(steady.length).toBe(steadyRuns);
    expect(steady.every((run) => run.outcome === 'ok')).toBe(true);
    expect(steady.map((run) => run.detail)).toEqual(steady.map((_, i) => `run ${i + 1}`));

    const failures = logs.filter((line) => line.level === 'error' && line.fields.job === 'flaky');
    expect(failures.length).toBe(flakyAttempts);
    expect(failures[0]!.msg).toBe('job flaky failed: upstream refused: quota exceeded');
  });

  it('never overlaps a job with itself: ticks while it runs are skipped, requests refused', async () => {
    let active = 0;
    let maxActive = 0;
    let starts = 0;
    const logs: LogLine[] = [];
    const jobs = scheduler(
      [
        testJob('slow', async () => {
          starts += 1;
          active += 1;
          maxActive = Math.max(maxActive, active);
          await sleep(2_200);
          active -= 1;
          return { rows: 0, detail: 'slept' };
        }),
      ],
      logs,
    );
    jobs.start();
    try {
      await waitFor('the slow job to start', () => active === 1);
      const refused = await jobs.run('slow').then(() => undefined, (error: unknown) => error);
      expect(refused).toBeInstanceOf(SpanlensError);
      expect(refused).toMatchObject({ status: 409, code: 'job_running', message: 'job slow is running now; wait for its run to end and try again' });
      expect((await jobs.list())[0]).toMatchObject({ name: 'slow', running: true });
      await waitFor('a second run', () => starts >= 2);
      await waitFor('a tick skipped during the second run', () => logs.filter((line) => line.msg === 'job slow is still running; tick skipped').length >= 3);
    } finally {
      await jobs.stop();
    }
    // stop() waited for the run under way, and it was recorded.
    expect(active).toBe(0);
    expect(maxActive).toBe(1);
    const runs = await storedRuns('slow');
    expect(runs.length).toBe(starts);
    for (let i = 1; i < runs.length; i++) {
      expect(Number(runs[i]!.started_ms)).toBeGreaterThanOrEqual(Number(runs[i - 1]!.finished_ms));
    }
    expect(logs.some((line) => line.level === 'debug' && line.fields.job === 'slow' && line.msg.includes('tick skipped'))).toBe(true);
  });

  it('runs a job on request, with its window, and lists it with its schedule and last run', async () => {
    const logs: LogLine[] = [];
    const jobs = scheduler(
      [
        testJob('counted', async ({ window }) => ({ rows: 7, detail: `up to ${window.end.toISOString()}` }), '0 3 * * *'),
        testJob('other', async () => ({ rows: 0, detail: '' }), '0 4 * * *'),
      ],
      logs,
      { schedules: { counted: '15 */2 * * *' } },
    );
    jobs.start();
    try {
      const record = await jobs.run('counted', new Date('2026-06-01T08:00:00Z'));
      expect(record).toMatchObject({
        job: 'counted',
        window_start: '2026-06-01T07:59:59.000Z',
        window_end: '2026-06-01T08:00:00.000Z',
        outcome: 'ok',
        rows: 7,
        detail: 'up to 2026-06-01T08:00:00.000Z',
      });
      const [counted, other] = await jobs.list();
      expect(counted).toMatchObject({ name: 'counted', schedule: '15 */2 * * *', running: false, last_run: record });
      expect(other).toMatchObject({ name: 'other', schedule: '0 4 * * *', running: false });
      expect(other!.last_run).toBeUndefined();
      // 15 */2 in UTC: minute 15 of the next even hour.
      const next = new Date(counted!.next_run!);
      expect(next.getUTCMinutes()).toBe(15);
      expect(next.getUTCHours() % 2).toBe(0);
      expect(next.getTime()).toBeGreaterThan(Date.now());
      expect(next.getTime()).toBeLessThanOrEqual(Date.now() + 2 * 3_600_000);
    } finally {
      await jobs.stop();
    }
  });

  it('names the known jobs when asked for an unknown one', async () => {
    const jobs = scheduler([testJob('alpha', async () => ({ rows: 0, detail: '' })), testJob('beta', async () => ({ rows: 0, detail: '' }))], [], { schedule: false });
    const refused = await jobs.run('gamma').then(() => undefined, (error: unknown) => error);
    expect(refused).toMatchObject({ status: 404, code: 'unknown_job', message: 'unknown job "gamma"; the jobs are: alpha, beta' });
  });

  it('schedules nothing when it runs jobs only on request', async () => {
    let runs = 0;
    const jobs = scheduler([testJob('idle', async () => ({ rows: ++runs, detail: '' }))], [], { schedule: false });
    jobs.start();
    await sleep(1_500);
    expect(runs).toBe(0);
    expect((await jobs.list())[0]!.next_run).toBeUndefined();
    expect((await jobs.run('idle')).rows).toBe(1);
    await jobs.stop();
  });

  it('refuses a schedule node-cron cannot read, naming the config key', () => {
    expect(() => scheduler([testJob('hourly', async () => ({ rows: 0, detail: '' }))], [], { schedules: { hourly: '61 * * * *' } })).toThrow(
      'jobs.schedules.hourly: "61 * * * *" is not a valid cron expression: 61 is a invalid expression for minute',
    );
  });
});
