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
