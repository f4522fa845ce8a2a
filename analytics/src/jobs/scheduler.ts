import type { ClickHouseClient } from '@clickhouse/client';
import { createTask, validateDetailed, type ScheduledTask } from 'node-cron';
import { SpanlensError, type Logger, type SpanlensConfig } from '@spanlens/core';
import type { Job, JobRunRecord, JobsControl, JobStatus } from './job';
import { jobSchedule, listJobs } from './job-runs';
import { runJob } from './run-job';

export interface JobSchedulerOptions {
  jobs: readonly Job[];
  client: ClickHouseClient;
  database: string;
  config: SpanlensConfig;
  logger: Logger;
  /**
   * Run the jobs on their schedules once started (default). When false the
   * jobs only run on request, e.g. in a process with the api role but not
   * the jobs role, or with `jobs.enabled: false`.
   */
  schedule?: boolean;
}

/**
 * Runs each job on its cron schedule (UTC) and on request, recording every
 * run in `job_runs`. A job never overlaps itself: a tick that finds it still
 * running is skipped, and a request is refused. A failed run is logged and
 * recorded; the job runs again on its next tick, and other jobs are
 * unaffected.
 */
export class JobScheduler implements JobsControl {
  private readonly jobs: ReadonlyMap<string, Job>;
  private readonly running = new Map<string, Promise<JobRunRecord>>();
  private readonly tasks = new Map<string, ScheduledTask>();
  private readonly logger: Logger;
  private stopped = false;

  constructor(private readonly options: JobSchedulerOptions) {
    this.logger = options.logger.child({ component: 'jobs' });
    const jobs = new Map<string, Job>();
    for (const job of options.jobs) {
      if (jobs.has(job.name)) throw new Error(`two jobs are named "${job.name}"`);
      jobs.set(job.name, job);
    }
    this.jobs = jobs;
    if (options.schedule ?? true) {
      for (const job of options.jobs) assertValidSchedule(job, jobSchedule(job, options.config));
    }
  }

  /** Starts the schedules; does nothing when the scheduler runs jobs only on request. */
  start(): void {
    if (!(this.options.schedule ?? true) || this.stopped || this.tasks.size > 0) return;
    for (const job of this.jobs.values()) {
      const schedule = jobSchedule(job, this.options.config);
      const task = createTask(schedule, (context) => this.tick(job, context.date), {
        name: `spanlens-job-${job.name}`,
        timezone: 'UTC',
        logger: cronLogger(this.logger),
        // A tick missed while the event loop was busy is simply not run: the next one covers it.
        suppressMissedWarning: true,
      });
      void task.start();
      this.tasks.set(job.name, task);
    }
    this.logger.info({ schedules: Object.fromEntries([...this.jobs.values()].map((job) => [job.name, jobSchedule(job, this.options.config)])) }, 'jobs scheduled');
  }

  /** Stops the schedules and waits for the runs under way to end. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.tasks.values()].map((task) => task.destroy()));
    this.tasks.clear();
    await Promise.allSettled([...this.running.values()]);
  }

  async list(): Promise<JobStatus[]> {
    return listJobs({
      client: this.options.client,
      database: this.options.database,
      config: this.options.config,
      jobs: [...this.jobs.values()],
      isRunning: (name) => this.running.has(name),
      nextRun: (name) => this.tasks.get(name)?.getNextRun() ?? undefined,
    });
  }

  /** Runs a job now. Rejects, with the HTTP status an API answers, for an unknown job (404) or one running (409). */
  async run(name: string, windowEnd: Date = new Date()): Promise<JobRunRecord> {
    const job = this.jobs.get(name);
    if (!job) throw unknownJobError(name, [...this.jobs.keys()]);
    if (this.stopped) throw new SpanlensError('jobs_stopped', 'jobs are stopping with the process; try again once it has restarted', { status: 503 });
    if (this.running.has(name)) {
      throw new SpanlensError('job_running', `job ${name} is running now; wait for its run to end and try again`, { status: 409 });
    }
    return this.execute(job, windowEnd);
  }

  private tick(job: Job, slot: Date): void {
    if (this.stopped) return;
    if (this.running.has(job.name)) {
      this.logger.debug({ job: job.name, slot: slot.toISOString() }, `job ${job.name} is still running; tick skipped`);
      return;
    }
    // runJob turns a job's failure into a failed record, so this catches only the unforeseen.
    this.execute(job, slot).catch((error: unknown) => this.logger.error({ err: error, job: job.name }, `job ${job.name} could not be run`));
  }

  private execute(job: Job, windowEnd: Date): Promise<JobRunRecord> {
    const { client, database, config } = this.options;
    const run = runJob(job, windowEnd, { client, database, config, logger: this.logger }).finally(() => this.running.delete(job.name));
    this.running.set(job.name, run);
    return run;
  }
}

/** The error for a job name no registered job has, listing the names that exist. */
export function unknownJobError(name: string, known: readonly string[]): SpanlensError {
  return new SpanlensError('unknown_job', `unknown job "${name}"; the jobs are: ${known.join(', ')}`, { status: 404 });
}

function assertValidSchedule(job: Job, schedule: string): void {
  const validation = validateDetailed(schedule);
  if (validation.valid) return;
  const problems = validation.errors.map((error) => error.message).join('; ');
  throw new SpanlensError('invalid_schedule', `jobs.schedules.${job.name}: "${schedule}" is not a valid cron expression: ${problems}`, { status: 500 });
}

/** node-cron's own messages, in the process's log. */
function cronLogger(logger: Logger) {
  return {
    info: (message: string) => logger.debug(message),
    warn: (message: string) => logger.warn(message),
    error: (message: string | Error, error?: Error) => logger.error({ err: error ?? message }, typeof message === 'string' ? message : 'node-cron error'),
    debug: (message: string | Error) => logger.debug(typeof message === 'string' ? message : message.message),
  };
}
