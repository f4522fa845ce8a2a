import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger, SpanlensConfig } from '@spanlens/core';
import type { Job, JobRunRecord, JobWindow } from './job';
import { insertJobRun } from './job-runs';

export interface RunJobOptions {
  client: ClickHouseClient;
  database: string;
  config: SpanlensConfig;
  logger: Logger;
  /** The clock of the run's start and finish; the real one by default. */
  now?: () => Date;
}

/** Longest error message kept in a run's detail; a query error can quote a whole statement. */
const maxDetailChars = 2_000;

/**
 * Runs a job once for the window ending at `windowEnd` and records the run in
 * `job_runs`. A job that throws is a failed run, not an error of this
 * function: the record carries why, so a scheduler can carry on and a caller
 * can show it. A failure to record the run is logged, not thrown, because
 * the run itself happened either way.
 */
export async function runJob(job: Job, windowEnd: Date, options: RunJobOptions): Promise<JobRunRecord> {
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ job: job.name });
  // A window that cannot be worked out (e.g. from bad config) fails the run too.
  let window: JobWindow = { start: windowEnd, end: windowEnd };
  const startedAt = now();
  const started = performance.now();
  let outcome: JobRunRecord['outcome'] = 'ok';
  let rows = 0;
  let detail: string;
  let failure: unknown;
  try {
    window = job.window(windowEnd, options.config);
    const result = await job.run({ client: options.client, database: options.database, config: options.config, logger, window });
    rows = result.rows;
    detail = result.detail;
  } catch (error) {
    outcome = 'failed';
    failure = error;
    detail = reasonOf(error).slice(0, maxDetailChars);
  }
  const durationMs = Math.round(performance.now() - started);
  const record: JobRunRecord = {
    run_id: randomUUID(),
    job: job.name,
    ...storedWindow(window),
    started_at: startedAt.toISOString(),
    finished_at: new Date(startedAt.getTime() + durationMs).toISOString(),
    duration_ms: durationMs,
    outcome,
    rows,
    detail,
  };

  const fields = { window_start: record.window_start, window_end: record.window_end, duration_ms: durationMs };
  if (outcome === 'failed') logger.error({ ...fields, err: failure }, `job ${job.name} failed: ${detail}`);
  else if (rows > 0) logger.info({ ...fields, rows, detail }, `job ${job.name} ran`);
  else logger.debug({ ...fields, rows, detail }, `job ${job.name} ran`);

  try {
    await insertJobRun(options.client, options.database, record);
  } catch (error) {
    logger.error({ err: error, run_id: record.run_id }, `the run of job ${job.name} could not be recorded in job_runs`);
  }
  return record;
}

/** job_runs keeps windows to the second; the record says what is stored. */
function storedWindow(window: JobWindow): { window_start: string; window_end: string } {
  const toSecond = (time: Date) => new Date(Math.floor(time.getTime() / 1000) * 1000).toISOString();
  return { window_start: toSecond(window.start), window_end: toSecond(window.end) };
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

const isoDateTime = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** A window end as users give it (`--window-end`, the API's `window_end`): an ISO 8601 date-time with a zone. */
export function parseWindowEnd(text: string): Date | undefined {
  const match = isoDateTime.exec(text);
  if (!match) return undefined;
  // Date.parse rolls 2026-02-30 over to March; a day the month lacks is a typo, not a date.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : new Date(time);
}

/** Why a value is not a window end, for a message that names the option or field. */
export function windowEndProblem(value: unknown): string {
  return `expected an ISO 8601 date-time with a time zone, e.g. 2026-06-01T08:00:00Z; got ${JSON.stringify(value)}`;
}
