import { availableParallelism } from 'node:os';
import { costGroupings } from '@spanlens/core';
import type { CostLatencyRun } from './jobs-cost-latency';
import type { LoadedWorkload, StoreSize } from './jobs-load';
import type { JobTiming } from './jobs-run';
import { verdict } from './figures';
import { fmt, round } from './stats';

/** Printed beside the figures; the bench never fails on them. */
export const JOB_TARGETS = { jobSeconds: 30, costP95Ms: 200 };

export interface JobsBenchResult {
  options: { spans: number; days: number; chunkRows: number; requestsPerGrouping: number };
  load: LoadedWorkload;
  jobs: JobTiming[];
  store: StoreSize;
  api: CostLatencyRun;
}

/** The figures of the JSON line, rounded; targets as OK / MISSED. */
export function jobsFigures(r: JobsBenchResult) {
  const api = r.api.byGrouping;
  return {
    bench: 'jobs',
    at: new Date().toISOString(),
    cpus: availableParallelism(),
    options: { spans: r.options.spans, days: r.options.days, chunk_rows: r.options.chunkRows, requests_per_grouping: r.options.requestsPerGrouping },
    load: {
      spans: r.load.spans,
      feedback: r.load.feedback,
      hours: r.load.hours,
      seconds: round(r.load.seconds, 1),
      spans_per_s: round(r.load.spansPerSecond, 0),
    },
    jobs: r.jobs.map((j) => ({
      job: j.job,
      run: j.label,
      seconds: round(j.seconds, 2),
      outcome: j.outcome,
      rows: j.rows,
      detail: j.detail,
      target: verdict(j.outcome === 'ok' && j.seconds < JOB_TARGETS.jobSeconds),
    })),
    costs_api: Object.fromEntries(
      costGroupings.map((g) => [
        g,
        {
          p50_ms: round(api[g].p50Ms),
          p95_ms: round(api[g].p95Ms),
          max_ms: round(api[g].maxMs),
          first_ms: round(api[g].firstMs),
          rows: api[g].rows,
          calls: api[g].calls,
          target: verdict(api[g].p95Ms < JOB_TARGETS.costP95Ms),
        },
      ]),
    ),
    store: {
      bytes_per_span: round(r.store.bytesPerSpan, 1),
      compressed_mib: round(r.store.compressedBytes / 1024 / 1024, 1),
      uncompressed_mib: round(r.store.uncompressedBytes / 1024 / 1024, 1),
      rows: r.store.rows,
      parts: r.store.parts,
    },
    server: { start_s: round(r.api.serverStartSeconds, 2), shutdown_s: round(r.api.shutdownSeconds, 2), shutdown_clean: r.api.shutdownClean, warnings: r.api.serverWarnings },
  };
}

export function printJobsTable(r: JobsBenchResult): void {
  const f = jobsFigures(r);
  const pad = (text: string, width: number) => text.padEnd(width);
  const num = (text: string, width: number) => text.padStart(width);
  const lines = [
    '',
    '── Spanlens analytics jobs benchmark ─────────────────────────────────────',
    `workload    : ${fmt.int(r.load.spans)} spans over ${r.options.days} days (${fmt.int(r.load.hours)} hours), ${fmt.int(r.load.feedback)} feedback votes; ${f.cpus} CPUs`,
    `load        : ${r.load.seconds.toFixed(1)} s, ${fmt.int(r.load.spansPerSecond)} spans/s (INSERT … SELECT from numbers(), chunks of ${fmt.int(r.options.chunkRows)})`,
    `store       : ${r.store.bytesPerSpan.toFixed(1)} bytes/span compressed (${fmt.mib(r.store.compressedBytes)} of llm_spans, ${(r.store.uncompressedBytes / r.store.compressedBytes).toFixed(1)}x; ${r.store.parts} active parts)`,
    '',
    `${pad('job', 13)} ${pad('run', 27)} ${num('time', 9)}   ${pad(`target < ${JOB_TARGETS.jobSeconds} s`, 13)} ${num('rows', 5)}  detail`,
    ...r.jobs.map((j, i) => {
      const target = f.jobs[i]!.target;
      const time = j.outcome === 'ok' ? `${j.seconds.toFixed(2)} s` : `FAILED after ${j.seconds.toFixed(1)} s`;
      return `${pad(j.job, 13)} ${pad(j.label, 27)} ${num(time, 9)}   ${pad(target, 13)} ${num(fmt.int(j.rows), 5)}  ${j.detail.slice(0, 110)}`;
    }),
    '',
    `GET /api/v1/costs over ${r.options.days} days, ${r.options.requestsPerGrouping} sequential requests per grouping (after 1 untimed first request):`,
    `${pad('group_by', 9)} ${num('p50', 9)}  ${num('p95', 9)}  ${num('max', 9)}  ${num('first', 9)}   ${pad(`target p95 < ${JOB_TARGETS.costP95Ms} ms`, 20)} ${num('rows', 6)}   calls`,
    ...costGroupings.map((g) => {
      const a = r.api.byGrouping[g];
      const calls = a.calls === r.load.spans ? 'all' : `${fmt.int(a.calls)} of ${fmt.int(r.load.spans)}`;
      return `${pad(g, 9)} ${num(fmt.ms(a.p50Ms), 9)}  ${num(fmt.ms(a.p95Ms), 9)}  ${num(fmt.ms(a.maxMs), 9)}  ${num(fmt.ms(a.firstMs), 9)}   ${pad(f.costs_api[g]!.target, 20)} ${num(fmt.int(a.rows), 6)}   ${calls}`;
    }),
    `server      : started in ${r.api.serverStartSeconds.toFixed(1)} s, stopped in ${r.api.shutdownSeconds.toFixed(1)} s${r.api.shutdownClean ? '' : ' (KILLED after the grace period)'}; ${r.api.serverWarnings} warnings/errors logged`,
    '──────────────────────────────────────────────────────────────────────────',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(`BENCH_JOBS_JSON ${JSON.stringify(f)}\n`);
}
