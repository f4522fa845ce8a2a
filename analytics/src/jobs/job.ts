import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger, SpanlensConfig } from '@spanlens/core';

/** The stretch of time one run of a job covers; a run is keyed by (job, window). */
export interface JobWindow {
  start: Date;
  end: Date;
}

export interface JobContext {
  client: ClickHouseClient;
  database: string;
  config: SpanlensConfig;
  logger: Logger;
  window: JobWindow;
}

export interface JobResult {
  /** Result rows written. */
  rows: number;
  /** One line for `jobs list` and the log, e.g. "12 groups, 3 drifted". */
  detail: string;
}

/**
 * A scheduled analytics job. `run` must be idempotent per window: it writes
 * rows keyed by the window (ReplacingMergeTree), so running the same window
 * twice, or on two replicas, changes nothing.
 */
export interface Job {
  name: string;
  description: string;
  /** node-cron expression used when `jobs.schedules` does not name the job. */
  defaultSchedule: string;
  /** The window a run that ends at `end` (now, or `--window-end`) covers. */
  window(end: Date, config: SpanlensConfig): JobWindow;
  run(context: JobContext): Promise<JobResult>;
}

/** Floors a time to a whole number of minutes, so windows of runs a few seconds apart coincide. */
export function floorToMinutes(time: Date, minutes: number): Date {
  const step = minutes * 60_000;
  return new Date(Math.floor(time.getTime() / step) * step);
}

/** One run of a job, as `job_runs` records it and `jobs list` / the API show it. */
export interface JobRunRecord {
  run_id: string;
  job: string;
  window_start: string;
  window_end: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  outcome: 'ok' | 'failed';
  rows: number;
  detail: string;
}

export interface JobStatus {
  name: string;
  description: string;
  schedule: string;
  running: boolean;
  next_run?: string;
  last_run?: JobRunRecord;
}

/** What the API and the CLI may ask of the jobs of a process. */
export interface JobsControl {
  list(): Promise<JobStatus[]>;
  /** Runs a job now for the window ending at `windowEnd` (default now); refuses if that job is running. */
  run(name: string, windowEnd?: Date): Promise<JobRunRecord>;
}
