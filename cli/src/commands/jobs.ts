import type { Command } from 'commander';
import { createJobs, listJobs, parseWindowEnd, runJob, unknownJobError, windowEndProblem, type JobRunRecord, type JobStatus } from '@spanlens/analytics';
import { createLogger, type SpanlensConfig } from '@spanlens/core';
import { apiKeyHeaders, callApi, chooseDataAccess, withStore, type ApiTarget } from '../data-access';
import { readConfig } from '../read-config';

/** Exit codes: 0 a run succeeded, 1 it failed (or could not be made), 2 a bad argument. */
const exitFailed = 1;
const exitBadArgument = 2;

/** `spanlens jobs list` and `spanlens jobs run <name>`, through the running server's API when one owns the data. */
export function registerJobsCommands(program: Command): void {
  const jobs = program.command('jobs').description('scheduled analytics jobs: list them with their last runs, or run one now');

  jobs
    .command('list')
    .description('each job with its schedule and last run')
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { json?: boolean }) => {
      const config = readConfig();
      const statuses = await listStatuses(config);
      process.stdout.write(options.json ? `${JSON.stringify({ jobs: statuses }, null, 2)}\n` : formatJobsTable(statuses));
    });

  jobs
    .command('run <name>')
    .description('run a job now and record the run; exits 1 if the run failed')
    .option('--window-end <iso>', 'end of the window the run covers (ISO 8601 with a time zone); default now')
    .option('--json', 'print the run record as JSON')
    .action(async (name: string, options: { windowEnd?: string; json?: boolean }) => {
      const config = readConfig();
      const windowEnd = options.windowEnd === undefined ? undefined : parseWindowEnd(options.windowEnd);
      if (options.windowEnd !== undefined && !windowEnd) return badArgument(`--window-end: ${windowEndProblem(options.windowEnd)}`);
      const outcome = await runNamedJob(config, name, windowEnd);
      if ('refused' in outcome) {
        process.stderr.write(`spanlens: ${outcome.refused}\n`);
        process.exitCode = outcome.exitCode;
        return;
      }
      process.stdout.write(options.json ? `${JSON.stringify(outcome.record, null, 2)}\n` : formatRunRecord(outcome.record));
      process.exitCode = outcome.record.outcome === 'ok' ? 0 : exitFailed;
    });
}

async function listStatuses(config: SpanlensConfig): Promise<JobStatus[]> {
  const access = await chooseDataAccess(config);
  if (access.via === 'api') return (await callApi<{ jobs: JobStatus[] }>(access, '/api/v1/jobs')).jobs;
  return withStore(config, ({ client, database }) => listJobs({ client, database, config, jobs: createJobs() }));
}

type RunOutcome = { record: JobRunRecord } | { refused: string; exitCode: number };

async function runNamedJob(config: SpanlensConfig, name: string, windowEnd: Date | undefined): Promise<RunOutcome> {
  const access = await chooseDataAccess(config);
  if (access.via === 'api') return runThroughApi(access, name, windowEnd);
  const jobs = createJobs();
  const job = jobs.find((candidate) => candidate.name === name);
  if (!job) return { refused: unknownJobError(name, jobs.map((known) => known.name)).message, exitCode: exitBadArgument };
  const logger = createLogger({ level: config.log.level });
  const record = await withStore(config, ({ client, database }) => runJob(job, windowEnd ?? new Date(), { client, database, config, logger }));
  return { record };
}

/** The API answers a failed run with 500 and its record, so this reads the body whatever the status. */
async function runThroughApi(target: ApiTarget, name: string, windowEnd: Date | undefined): Promise<RunOutcome> {
  const url = target.url;
  const response = await fetch(new URL(`/api/v1/jobs/${encodeURIComponent(name)}/run`, url), {
    method: 'POST',
    headers: { ...apiKeyHeaders(target), 'content-type': 'application/json' },
    body: JSON.stringify(windowEnd ? { window_end: windowEnd.toISOString() } : {}),
  });
  const text = await response.text();
  let body: Partial<JobRunRecord> & { message?: string } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // not JSON: the status and text say what happened
  }
  if (typeof body.run_id === 'string') return { record: body as JobRunRecord };
  const message = `the server at ${url} answered ${response.status}: ${body.message ?? text}`;
  return { refused: message, exitCode: response.status === 400 || response.status === 404 ? exitBadArgument : exitFailed };
}

function badArgument(message: string): void {
  process.stderr.write(`spanlens: ${message}\n`);
  process.exitCode = exitBadArgument;
}

/** A finished run in a few lines: what ran, how it ended, over which window. */
export function formatRunRecord(record: JobRunRecord): string {
  return [
    `job ${record.job}: ${record.outcome} in ${formatDuration(record.duration_ms)}, ${record.rows} rows`,
    `  window  ${formatWindow(record)}`,
    `  detail  ${record.detail}`,
    `  run     ${record.run_id} started ${formatTime(record.started_at)}`,
    '',
  ].join('\n');
}

/** One line per job: schedule and last run. */
export function formatJobsTable(statuses: JobStatus[]): string {
  const header = ['NAME', 'SCHEDULE', 'LAST RUN', 'WINDOW', 'DURATION', 'OUTCOME', 'DETAIL'];
  const rows = statuses.map((status) => {
    const last = status.last_run;
    const outcome = [last?.outcome, status.running ? 'running' : undefined].filter(Boolean).join(', ');
    return [
      status.name,
      status.schedule,
      last ? formatTime(last.started_at) : 'never',
      last ? formatWindow(last) : '-',
      last ? formatDuration(last.duration_ms) : '-',
      outcome || '-',
      last?.detail ?? '-',
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** ISO to the second, e.g. 2026-06-01T08:00:10Z. */
function formatTime(iso: string): string {
  return iso.replace(/\.\d{3}Z$/, 'Z');
}

function formatWindow(record: Pick<JobRunRecord, 'window_start' | 'window_end'>): string {
  return `${formatTime(record.window_start)} → ${formatTime(record.window_end)}`;
}

function formatDuration(ms: number): string {
  return ms < 10_000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
