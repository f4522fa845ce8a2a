import type { ChildProcess } from 'node:child_process';
import { costGroupings, costReportSchema, type CostGrouping } from '@spanlens/core';
import { LoopbackClient } from './http-client';
import { startServer } from './server-process';
import { percentile } from './stats';

export interface CostLatency {
  /** The first request of the grouping, before the timed ones (cold caches). */
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** Rows of the report and calls they add up to, to check the API saw every span. */
  rows: number;
  calls: number;
}

export interface CostLatencyRun {
  serverStartSeconds: number;
  shutdownSeconds: number;
  shutdownClean: boolean;
  serverWarnings: number;
  byGrouping: Record<CostGrouping, CostLatency>;
}

export interface CostLatencyOptions {
  repoRoot: string;
  dataDir: string;
  from: Date;
  requestsPerGrouping: number;
  onChild(child: ChildProcess): void;
}

/**
 * Starts `spanlens start` with the API role only on the bench's store (no
 * scheduled jobs, so nothing else competes) and times sequential
 * `GET /api/v1/costs` requests over [from, now) for every grouping.
 */
export async function timeCostApi(options: CostLatencyOptions): Promise<CostLatencyRun> {
  const startedAt = performance.now();
  const server = await startServer({
    repoRoot: options.repoRoot,
    dataDir: options.dataDir,
    startTimeoutMs: 120_000,
    env: { SPANLENS_ROLES: 'api' },
    onChild: options.onChild,
  });
  const serverStartSeconds = (performance.now() - startedAt) / 1000;
  const http = new LoopbackClient(server.url, { maxSockets: 1 });
  const to = new Date().toISOString();
  const byGrouping = {} as Record<CostGrouping, CostLatency>;
  let stopped: Awaited<ReturnType<typeof server.stop>>;
  try {
    for (const groupBy of costGroupings) {
      const path = `/api/v1/costs?${new URLSearchParams({ group_by: groupBy, from: options.from.toISOString(), to })}`;
      const get = async () => {
        const started = performance.now();
        const answer = await http.get(path, 60_000);
        const ms = performance.now() - started;
        if (answer.status !== 200) throw new Error(`GET ${path} answered ${answer.status}: ${answer.body.toString('utf8').slice(0, 400)}\n${server.tail()}`);
        return { ms, body: answer.body };
      };
      const first = await get();
      const report = costReportSchema.parse(JSON.parse(first.body.toString('utf8')));
      const times: number[] = [];
      for (let i = 0; i < options.requestsPerGrouping; i++) times.push((await get()).ms);
      byGrouping[groupBy] = {
        firstMs: first.ms,
        p50Ms: percentile(times, 0.5),
        p95Ms: percentile(times, 0.95),
        maxMs: Math.max(...times),
        rows: report.rows.length,
        calls: report.rows.reduce((sum, row) => sum + row.calls, 0),
      };
    }
  } finally {
    http.close();
    stopped = await server.stop(30_000);
  }
  return {
    serverStartSeconds,
    shutdownSeconds: stopped.seconds,
    shutdownClean: !stopped.killed,
    serverWarnings: server.warnings().count,
    byGrouping,
  };
}
