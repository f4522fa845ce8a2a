import { createJobs, runJob, type Job, type JobRunRecord } from '@spanlens/analytics';
import { tableName, type Logger, type SpanlensConfig } from '@spanlens/core';
import type { StoreClient } from './jobs-load';

export interface JobTiming {
  job: string;
  /** What the run did, e.g. "backfill" for the first rollup over every hour. */
  label: string;
  seconds: number;
  outcome: JobRunRecord['outcome'];
  rows: number;
  detail: string;
}

export interface JobsContext {
  client: StoreClient;
  database: string;
  config: SpanlensConfig;
  logger: Logger;
}

/**
 * The jobs a Spanlens process schedules, rollup first whatever the
 * registry's order: the API, timed after the jobs, reads rolled-up hours.
 */
export function benchJobs(): Job[] {
  return [...createJobs()].sort((a, b) => Number(b.name === 'rollup') - Number(a.name === 'rollup'));
}

/**
 * Runs each job once for the window ending now, as the scheduler would
 * (recorded in job_runs), and times it. The first rollup runs recompute
 * every hour of the workload, a bounded number per run, until none is left;
 * a further run after one hour is touched again shows
 * what a scheduled run costs once the rollup has caught up.
 */
export async function runJobsTimed(context: JobsContext, onDone: (timing: JobTiming) => void): Promise<JobTiming[]> {
  const timings: JobTiming[] = [];
  const timed = async (job: Job, label: string) => {
    const started = performance.now();
    const record = await runJob(job, new Date(), context);
    const timing = { job: job.name, label, seconds: (performance.now() - started) / 1000, outcome: record.outcome, rows: record.rows, detail: record.detail };
    timings.push(timing);
    onDone(timing);
  };
  for (const job of benchJobs()) {
    if (job.name === 'rollup') {
      // The rollup job refreshes a bounded number of hours per run, so a
      // backfill of the whole workload takes several scheduled runs.
      for (let run = 1; run <= 20; run++) {
        await timed(job, `backfill run ${run}`);
        if (!/older left/.test(timings[timings.length - 1]?.detail ?? '')) break;
      }
    } else {
      await timed(job, 'scheduled window');
    }
    if (job.name === 'rollup') {
      await touchLastEndedHour(context.client, context.database);
      await timed(job, 'steady state, 1 stale hour');
    }
  }
  return timings;
}

/** What a batch of late spans for the last ended hour would leave behind: a touch. */
async function touchLastEndedHour(client: StoreClient, database: string): Promise<void> {
  const hour = Math.floor(Date.now() / 3_600_000) * 3600 - 3600;
  await client.insert({ table: tableName(database, 'span_hours_touched'), values: [{ hour }], format: 'JSONEachRow', columns: ['hour'] });
}
