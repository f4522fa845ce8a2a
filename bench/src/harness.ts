/**
 * What `pnpm bench:ingest` and `pnpm bench:kafka` share: child processes
 * that never outlive the bench, temp dirs, hard stops, the load generator
 * run, the stored-totals check, and the embedded server phase (one server,
 * the load against it, its memory and CPU, a clean stop).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './args';
import type { ServerSide, StoredCheck } from './figures';
import { LoopbackClient } from './http-client';
import { busyCores, readMachineTicks } from './machine-cpu';
import type { GeneratorConfig, GeneratorMessage, GeneratorResult } from './protocol';
import { startServer, type ServerProcess } from './server-process';
import { WindowProbe } from './window-probe';

export const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = resolve(benchDir, '..');
/** The workload's seed: every bench sends the same requests. */
export const SEED = 20_251_122;

const children = new Set<ChildProcess>();
const tempDirs: string[] = [];
const exitHooks: (() => void)[] = [];

/**
 * Whatever way this process ends, no child outlives it and no temp dir stays.
 * Hooks added with onExit run (synchronously) after the children are killed
 * and before the temp dirs go.
 */
export function installCleanup(): void {
  process.on('exit', () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const hook of exitHooks) {
      try {
        hook();
      } catch (error) {
        process.stderr.write(`[bench] exit cleanup failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      log(`${signal}: stopping`);
      process.exit(130);
    });
  }
}

/** A synchronous step for the exit path (process 'exit' handlers cannot await). */
export function onExit(hook: () => void): void {
  exitHooks.push(hook);
}

export function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

export function track<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function hardStop(seconds: number, what: string): NodeJS.Timeout {
  const timer = setTimeout(() => {
    process.stderr.write(`\n[bench] HARD STOP: ${what} still running after ${seconds} s; killing every child process.\n`);
    process.exit(1);
  }, seconds * 1000);
  timer.unref();
  return timer;
}

export function forkChild(script: string, config: object, heapMb?: number): ChildProcess {
  return track(
    fork(join(benchDir, script), [JSON.stringify(config)], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx', ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
}

/** Cores the machine kept busy over 2 s before the bench started anything. */
export async function backgroundCores(): Promise<number | undefined> {
  const idleProbe = readMachineTicks();
  await sleep(2000);
  return busyCores(idleProbe, readMachineTicks());
}

/**
 * Runs bench/load-generator.ts against `target.url` (OTLP) and, for the
 * markers' visibility, `target.apiUrl` (the costs API; the same server when
 * not given).
 */
export async function runLoad(options: BenchOptions, target: { url: string; apiUrl?: string }, runId: string, onWindow: (phase: 'measure-start' | 'measure-end') => void): Promise<GeneratorResult> {
  const config: GeneratorConfig = {
    url: target.url,
    ...(target.apiUrl ? { apiUrl: target.apiUrl } : {}),
    seconds: options.seconds,
    warmupSeconds: options.warmupSeconds,
    concurrency: options.concurrency,
    minSpans: options.minSpans,
    maxSpans: options.maxSpans,
    poolBodies: options.poolBodies,
    seed: SEED,
    runId,
    markerIntervalMs: options.markerIntervalMs,
    retryPauseMs: 250,
  };
  const child = forkChild('load-generator.ts', config);
  return new Promise((resolvePromise, reject) => {
    child.on('message', (message: GeneratorMessage) => {
      if (message.type === 'pool') {
        log(`load generator: ${message.bodies} distinct requests, ${message.spans.toLocaleString('en-US')} spans (${message.llmSpans.toLocaleString('en-US')} LLM), ${(message.bytes / 1e6).toFixed(1)} MB protobuf, built in ${(message.buildMs / 1000).toFixed(1)} s`);
        log(`warming up ${options.warmupSeconds} s, then measuring ${options.seconds} s`);
      } else if (message.type === 'phase') {
        onWindow(message.phase);
      } else if (message.type === 'result') {
        resolvePromise(message.result);
      } else {
        reject(new Error(`load generator failed: ${message.message}`));
      }
    });
    child.once('exit', (code, signal) => reject(new Error(`load generator exited (code ${code}, signal ${signal}) without a result`)));
  });
}

/** Calls per model over the whole run, from the API at `apiUrl`, against what the server acknowledged. */
export async function checkStoredTotals(apiUrl: string, gen: GeneratorResult, runStarted: number): Promise<StoredCheck> {
  const stored = (log: GeneratorResult['acks']) => log.llmSpans.reduce((total, n, i) => total + n - log.rejected[i]!, 0);
  const check: StoredCheck = { expected: stored(gen.acks) + stored(gen.markerAcks), apiCalls: undefined, unpricedCalls: undefined, byModel: {}, error: undefined };
  const client = new LoopbackClient(apiUrl, { maxSockets: 1 });
  try {
    const from = new Date(runStarted - 30 * 60_000).toISOString();
    const to = new Date(Date.now() + 30 * 60_000).toISOString();
    const answer = await client.get(`/api/v1/costs?group_by=model&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, 120_000);
    if (answer.status !== 200) throw new Error(`GET /api/v1/costs answered ${answer.status}: ${answer.body.toString('utf8', 0, 300)}`);
    const report = JSON.parse(answer.body.toString('utf8')) as { rows: { key: string; calls: number; unpriced_calls: number }[] };
    check.apiCalls = report.rows.reduce((total, row) => total + row.calls, 0);
    check.unpricedCalls = report.rows.reduce((total, row) => total + row.unpriced_calls, 0);
    for (const row of report.rows) check.byModel[row.key] = row.calls;
  } catch (error) {
    check.error = error instanceof Error ? error.message : String(error);
  } finally {
    client.close();
  }
  return check;
}

/** The loud report of a stored-totals mismatch, on stderr. */
export function reportMismatch(check: StoredCheck, acknowledger: string): void {
  process.stderr.write(
    `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
      `!!! STORED TOTALS DO NOT MATCH: the API counts ${check.apiCalls ?? 'nothing'} calls, ${acknowledger} acknowledged ${check.expected} LLM spans.\n` +
      (check.error ? `!!! ${check.error}\n` : '') +
      `!!! calls by model: ${JSON.stringify(check.byModel)}\n` +
      `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
  );
}

export interface EmbeddedRun {
  gen: GeneratorResult;
  serverSide: ServerSide;
  check: StoredCheck;
}

/**
 * `spanlens start` on the embedded default (all roles, fresh data dir), the
 * load against it, then the stored-totals check and a SIGINT stop.
 */
export async function runEmbedded(options: BenchOptions, runId: string, runStarted: number, backgroundCoresBefore: number | undefined): Promise<EmbeddedRun> {
  const serverPhase = hardStop(options.seconds + 60, 'the server and load phase');
  log(`starting the server (embedded chDB, fresh data dir)`);
  const server = await startServer({
    repoRoot,
    dataDir: tempDir('spanlens-bench-server-'),
    startTimeoutMs: 60_000,
    cpuProfileDir: options.serverCpuProfileDir ? resolve(options.serverCpuProfileDir) : undefined,
    v8ProfileDir: options.serverV8ProfileDir ? resolve(options.serverV8ProfileDir) : undefined,
    onChild: (child) => track(child),
  });
  log(`server pid ${server.pid} listening on ${server.url}`);
  const serverDied = exitIfDuringLoad(server, 'the server');
  server.child.once('exit', serverDied);

  const probe = new WindowProbe(server, options.serverV8ProfileDir ? resolve(options.serverV8ProfileDir) : undefined);
  const gen = await runLoad(options, server, runId, (phase) => probe.onPhase(phase));
  const { vmHwm, rssMaxSampled, ingest } = await probe.finish((gen.measureEnd - gen.measureStart) / 1000);
  log('load done; checking stored totals through the API');
  const check = await checkStoredTotals(server.url, gen, runStarted);
  server.child.off('exit', serverDied);
  const stopped = await stopServer(server, 'server');
  clearTimeout(serverPhase);
  const serverSide: ServerSide = {
    rssMaxSampled,
    vmHwm,
    cpuSecondsInWindow: probe.serverCpuSeconds,
    ...stopped,
    warnings: server.warnings(),
    ingest,
    machineCoresInWindow: probe.machineCores,
    backgroundCoresBefore,
  };
  if (options.serverCpuProfileDir) {
    log(serverSide.shutdownClean ? `server CPU profile written to ${resolve(options.serverCpuProfileDir)}` : 'no server CPU profile: --cpu-prof writes it only on a clean exit');
  }
  if (options.serverV8ProfileDir) {
    log(`server V8 tick logs in ${resolve(options.serverV8ProfileDir)}: load-window-isolate-*.log stop at the end of the measured window; read with node --prof-process`);
  }
  return { gen, serverSide, check };
}

/** SIGINT, SIGKILL after 30 s; says so when the stop was not clean. */
export async function stopServer(server: ServerProcess, name: string): Promise<{ shutdownSeconds: number; shutdownClean: boolean }> {
  log(`stopping the ${name} (SIGINT)`);
  const stopped = await server.stop(30_000);
  const shutdownClean = stopped.code === 0 && !stopped.killed;
  if (!shutdownClean) log(`${name} did not stop cleanly: code ${stopped.code}, signal ${stopped.signal}${stopped.killed ? ' (killed after 30 s)' : ''}\n${server.tail()}`);
  return { shutdownSeconds: stopped.seconds, shutdownClean };
}

/** An 'exit' listener that ends the bench when a server process dies while it is being measured. */
export function exitIfDuringLoad(server: ServerProcess, name: string): (code: number | null, signal: NodeJS.Signals | null) => void {
  return (code, signal) => {
    process.stderr.write(`[bench] ${name} exited during the load (code ${code}, signal ${signal}). Its last output:\n${server.tail()}\n`);
    process.exit(1);
  };
}
