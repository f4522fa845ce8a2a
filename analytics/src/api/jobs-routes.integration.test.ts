import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '@spanlens/core';
import { openTestStore, type TestStore } from '@spanlens/core/testing';
import type { JobRunRecord, JobsControl, JobStatus } from '../jobs/job';
import { JobScheduler } from '../jobs/scheduler';
import { captureLogger, sleep, testJob } from '../jobs/test-jobs';
import { createApiRouter } from './router';

const config = configSchema.parse({});
let store: TestStore;
let scheduler: JobScheduler;
let withJobs: { url: string; server: Server };
let withoutJobs: { url: string; server: Server };

async function serve(jobs: JobsControl | undefined) {
  const app = express();
  app.use('/api/v1', createApiRouter({ client: store.client, database: store.database, config, logger: captureLogger([]), jobs }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`, server };
}

beforeAll(async () => {
  store = await openTestStore('jobs_api_test');
  scheduler = new JobScheduler({
    jobs: [
      testJob('fine', async ({ window }) => ({ rows: 3, detail: `to ${window.end.toISOString()}` })),
      testJob('broken', async () => {
        throw new Error('the model endpoint answered 502');
      }),
      testJob('slow', async () => {
        await sleep(1_000);
        return { rows: 0, detail: 'done' };
      }),
    ],
    client: store.client,
    database: store.database,
    config,
    logger: captureLogger([]),
    schedule: false,
  });
  withJobs = await serve(scheduler);
  withoutJobs = await serve(undefined);
});
afterAll(async () => {
  withJobs.server.close();
  withoutJobs.server.close();
  await scheduler.stop();
  await store.close();
});

type Answer = Partial<JobRunRecord> & { error?: string; message?: string };
const answerOf = async (response: Response) => (await response.json()) as Answer;

const post = (base: string, path: string, body?: string, contentType = 'application/json') =>
  fetch(`${base}${path}`, { method: 'POST', headers: body === undefined ? {} : { 'content-type': contentType }, body });

describe('the jobs API', () => {
  it('runs a job for the window asked and lists its last run', async () => {
    const response = await post(withJobs.url, '/jobs/fine/run', JSON.stringify({ window_end: '2026-06-01T10:00:00+02:00' }));
    expect(response.status).toBe(200);
    const record = await answerOf(response);
    expect(record).toMatchObject({ job: 'fine', window_end: '2026-06-01T08:00:00.000Z', outcome: 'ok', rows: 3, detail: 'to 2026-06-01T08:00:00.000Z' });

    const list = (await (await fetch(`${withJobs.url}/jobs`)).json()) as { jobs: JobStatus[] };
    expect(list.jobs.map((job) => job.name)).toEqual(['fine', 'broken', 'slow']);
    expect(list.jobs[0]).toMatchObject({ name: 'fine', schedule: '* * * * * *', running: false, last_run: record });
  });

  it('runs a job now when the body is empty or absent', async () => {
    const before = Date.now();
    for (const response of [await post(withJobs.url, '/jobs/fine/run'), await post(withJobs.url, '/jobs/fine/run', '{}')]) {
      expect(response.status).toBe(200);
      const record = await answerOf(response);
      expect(Date.parse(record.window_end!)).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    }
  });

  it('answers a failed run with 500 and its record', async () => {
    const response = await post(withJobs.url, '/jobs/broken/run');
    expect(response.status).toBe(500);
    expect(await answerOf(response)).toMatchObject({
      error: 'job_failed',
      message: 'job broken failed: the model endpoint answered 502',
      job: 'broken',
      outcome: 'failed',
      detail: 'the model endpoint answered 502',
    });
  });

  it('refuses an unknown job (404), a running one (409) and a bad window end (400)', async () => {
    const unknown = await post(withJobs.url, '/jobs/nope/run');
    expect(unknown.status).toBe(404);
    expect(await answerOf(unknown)).toEqual({ error: 'unknown_job', message: 'unknown job "nope"; the jobs are: fine, broken, slow' });

    const first = post(withJobs.url, '/jobs/slow/run');
    await sleep(200);
    const second = await post(withJobs.url, '/jobs/slow/run');
    expect(second.status).toBe(409);
    expect((await answerOf(second)).error).toBe('job_running');
    expect((await first).status).toBe(200);

    for (const [body, problem] of [
      ['{"window_end":"yesterday"}', 'window_end: expected an ISO 8601 date-time with a time zone'],
      ['{"window_end":"2026-02-30T00:00:00Z"}', 'window_end: expected an ISO 8601'],
      ['{"window_end":"2026-06-01T08:00:00"}', 'window_end: expected an ISO 8601'],
      ['{"windowEnd":"2026-06-01T08:00:00Z"}', 'unknown field windowEnd'],
      ['[1]', 'the body must be a JSON object'],
      ['{not json', 'the body is not valid JSON'],
    ]) {
      const response = await post(withJobs.url, '/jobs/fine/run', body);
      expect(response.status, body).toBe(400);
      const answer = await answerOf(response);
      expect(answer.error).toBe('bad_request');
      expect(answer.message).toContain(problem);
    }
  });

  it('answers 503 in a process that cannot run jobs', async () => {
    expect((await fetch(`${withoutJobs.url}/jobs`)).status).toBe(503);
    const response = await post(withoutJobs.url, '/jobs/fine/run');
    expect(response.status).toBe(503);
    expect((await answerOf(response)).error).toBe('jobs_unavailable');
  });
});
