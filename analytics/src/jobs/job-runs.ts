import type { ClickHouseClient } from '@clickhouse/client';
import { tableName, type SpanlensConfig } from '@spanlens/core';
import { dateTime64Param, dateTimeParam } from '../rollup/hour-states';
import type { Job, JobRunRecord, JobStatus } from './job';

/** The cron expression a job runs on: `jobs.schedules.<name>` when the config names it, else its default. */
export function jobSchedule(job: Job, config: SpanlensConfig): string {
  return config.jobs.schedules[job.name] ?? job.defaultSchedule;
}

/** Records one run. Runs are rare (one per job per tick), so each is its own small insert. */
export async function insertJobRun(client: ClickHouseClient, database: string, record: JobRunRecord): Promise<void> {
  await client.insert({
    table: tableName(database, 'job_runs'),
    values: [
      {
        ...record,
        window_start: dateTimeParam(Date.parse(record.window_start) / 1000),
        window_end: dateTimeParam(Date.parse(record.window_end) / 1000),
        started_at: dateTime64Param(Date.parse(record.started_at)),
        finished_at: dateTime64Param(Date.parse(record.finished_at)),
      },
    ],
    format: 'JSONEachRow',
  });
}

interface JobRunRow {
  run_id: string;
  job: string;
  window_start: number | string;
  window_end: number | string;
  started_at: number | string;
  finished_at: number | string;
  duration_ms: number | string;
  outcome: string;
  rows: number | string;
  detail: string;
}

const runColumns = `run_id, job, toUnixTimestamp(window_start) AS window_start, toUnixTimestamp(window_end) AS window_end,
  toUnixTimestamp64Milli(started_at) AS started_at, toUnixTimestamp64Milli(finished_at) AS finished_at,
  duration_ms, outcome, rows, detail`;

function toRecord(row: JobRunRow): JobRunRecord {
  return {
    run_id: row.run_id,
    job: row.job,
    window_start: new Date(Number(row.window_start) * 1000).toISOString(),
    window_end: new Date(Number(row.window_end) * 1000).toISOString(),
    started_at: new Date(Number(row.started_at)).toISOString(),
    finished_at: new Date(Number(row.finished_at)).toISOString(),
    duration_ms: Number(row.duration_ms),
    outcome: row.outcome === 'ok' ? 'ok' : 'failed',
    rows: Number(row.rows),
    detail: row.detail,
  };
}

/** The latest run (by start time) of each of the named jobs that ever ran. */
export async function readLastRuns(client: ClickHouseClient, database: string, jobs: string[]): Promise<Map<string, JobRunRecord>> {
  const result = await client.query({
    query: `SELECT ${runColumns} FROM ${tableName(database, 'job_runs')}
            WHERE job IN {jobs:Array(String)}
            ORDER BY job, started_at DESC, run_id
            LIMIT 1 BY job`,
    query_params: { jobs },
    format: 'JSONEachRow',
  });
  const rows = await result.json<JobRunRow>();
  return new Map(rows.map((row) => [row.job, toRecord(row)]));
}

/** A job's runs, newest first. */
export async function readJobRuns(client: ClickHouseClient, database: string, job: string, limit = 100): Promise<JobRunRecord[]> {
  const result = await client.query({
    query: `SELECT ${runColumns} FROM ${tableName(database, 'job_runs')}
            WHERE job = {job:String}
            ORDER BY started_at DESC, run_id
            LIMIT {limit:UInt32}`,
    query_params: { job, limit },
    format: 'JSONEachRow',
  });
  return (await result.json<JobRunRow>()).map(toRecord);
}

export interface ListJobsOptions {
  client: ClickHouseClient;
  database: string;
  config: SpanlensConfig;
  jobs: readonly Job[];
  /** Jobs running in this process now. */
  isRunning?: (name: string) => boolean;
  /** When this process will next run a job on its schedule; absent when it schedules nothing. */
  nextRun?: (name: string) => Date | undefined;
}

/** Each job with its schedule and last run, in the order the jobs are registered. */
export async function listJobs(options: ListJobsOptions): Promise<JobStatus[]> {
  const lastRuns = await readLastRuns(options.client, options.database, options.jobs.map((job) => job.name));
  return options.jobs.map((job) => {
    const status: JobStatus = {
      name: job.name,
      description: job.description,
      schedule: jobSchedule(job, options.config),
      running: options.isRunning?.(job.name) ?? false,
    };
    const next = options.nextRun?.(job.name);
    if (next) status.next_run = next.toISOString();
    const last = lastRuns.get(job.name);
    if (last) status.last_run = last;
    return status;
  });
}
