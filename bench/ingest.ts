/**
 * `pnpm bench:ingest`: how many spans per second Spanlens (embedded default)
 * accepts and stores, how soon they are queryable, how much memory the server
 * holds, and how that compares with core's raw chDB insert rate. Prints
 * figures and one JSON line; it asserts nothing except that the stored totals
 * equal what was acknowledged (exit 1 otherwise).
 *
 * Processes: the server (`spanlens start`), the load generator
 * (bench/load-generator.ts) and, after the server has stopped, the raw-insert
 * baseline (bench/raw-insert.ts). All are killed if this script exits early.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type BenchOptions } from './src/args';
import { computeFigures, printTable, type ServerSide, type StoredCheck } from './src/figures';
import { LoopbackClient } from './src/http-client';
import type { GeneratorConfig, GeneratorMessage, GeneratorResult, RawInsertConfig, RawInsertMessage } from './src/protocol';
import { busyCores, readMachineTicks, type MachineTicks } from './src/machine-cpu';
import { startServer, type ServerProcess } from './src/server-process';
import { WindowProbe } from './src/window-probe';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(benchDir, '..');
const SEED = 20_251_122;
const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

// Whatever way this process ends, no child outlives it and no temp dir stays.
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    log(`${signal}: stopping`);
    process.exit(130);
  });
}

function log(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

function hardStop(seconds: number, what: string): NodeJS.Timeout {
  const timer = setTimeout(() => {
    process.stderr.write(`\n[bench] HARD STOP: ${what} still running after ${seconds} s; killing every child process.\n`);
    process.exit(1);
  }, seconds * 1000);
  timer.unref();
  return timer;
}

function forkChild(script: string, config: object, heapMb?: number): ChildProcess {
  return track(
    fork(join(benchDir, script), [JSON.stringify(config)], {
      cwd: repoRoot,
      execArgv: ['--import', 'tsx', ...(heapMb ? [`--max-old-space-size=${heapMb}`] : [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }),
  );
}

async function runLoad(options: BenchOptions, server: ServerProcess, runId: string, onWindow: (phase: 'measure-start' | 'measure-end') => void): Promise<GeneratorResult> {
  const config: GeneratorConfig = {
    url: server.url,
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

/** Calls per model over the whole run, from the API, against what the server acknowledged. */
async function checkStoredTotals(server: ServerProcess, gen: GeneratorResult, runStarted: number): Promise<StoredCheck> {
  const stored = (log: GeneratorResult['acks']) => log.llmSpans.reduce((total, n, i) => total + n - log.rejected[i]!, 0);
  const check: StoredCheck = { expected: stored(gen.acks) + stored(gen.markerAcks), apiCalls: undefined, unpricedCalls: undefined, byModel: {}, error: undefined };
  const client = new LoopbackClient(server.url, { maxSockets: 1 });
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

type RawOutcome = (Extract<RawInsertMessage, { type: 'result' }> & { machineCores: number | undefined }) | { error: string };

async function runRawInsert(options: BenchOptions, rows: number): Promise<RawOutcome> {
  const config: RawInsertConfig = { rows, batch: options.rawBatch, minSpans: options.minSpans, maxSpans: options.maxSpans, poolBodies: options.poolBodies, seed: SEED, dataDir: tempDir('spanlens-bench-raw-') };
  // Building millions of row objects up front needs more than the default heap.
  const child = forkChild('raw-insert.ts', config, 8192);
  let machineAtStart: MachineTicks | undefined;
  return new Promise((resolvePromise) => {
    child.on('message', (message: RawInsertMessage) => {
      if (message.type === 'inserting') machineAtStart = readMachineTicks();
      else if (message.type === 'built') log(`baseline: ${message.rows.toLocaleString('en-US')} rows built from ${message.templates.toLocaleString('en-US')} mapped and priced spans in ${(message.buildMs / 1000).toFixed(1)} s; inserting`);
      else if (message.type === 'result') resolvePromise({ ...message, machineCores: busyCores(machineAtStart, readMachineTicks()) });
      else resolvePromise({ error: message.message });
    });
    child.once('exit', (code, signal) => resolvePromise({ error: `raw-insert exited (code ${code}, signal ${signal}) without a result` }));
  });
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const runId = randomBytes(8).toString('hex');
  const runStarted = Date.now();
  if (options.serverCpuProfileDir) mkdirSync(resolve(options.serverCpuProfileDir), { recursive: true });
  if (options.serverV8ProfileDir) mkdirSync(resolve(options.serverV8ProfileDir), { recursive: true });

  // Other work on the machine skews every figure here; measure it first and say so.
  const idleProbe = readMachineTicks();
  await new Promise((done) => setTimeout(done, 2000));
  const backgroundCoresBefore = busyCores(idleProbe, readMachineTicks());
  log(`machine: ${availableParallelism()} cores, ${backgroundCoresBefore === undefined ? '?' : backgroundCoresBefore.toFixed(2)} cores busy with other work before the bench`);

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
  const serverDied = (code: number | null, signal: NodeJS.Signals | null) => {
    process.stderr.write(`[bench] the server exited during the load (code ${code}, signal ${signal}). Its last output:\n${server.tail()}\n`);
    process.exit(1);
  };
  server.child.once('exit', serverDied);

  const probe = new WindowProbe(server, options.serverV8ProfileDir ? resolve(options.serverV8ProfileDir) : undefined);
  const gen = await runLoad(options, server, runId, (phase) => probe.onPhase(phase));
  const { vmHwm, rssMaxSampled, ingest } = await probe.finish((gen.measureEnd - gen.measureStart) / 1000);
  log('load done; checking stored totals through the API');
  const check = await checkStoredTotals(server, gen, runStarted);
  log('stopping the server (SIGINT)');
  server.child.off('exit', serverDied);
  const stopped = await server.stop(30_000);
  clearTimeout(serverPhase);
  const serverSide: ServerSide = {
    rssMaxSampled,
    vmHwm,
    cpuSecondsInWindow: probe.serverCpuSeconds,
    shutdownSeconds: stopped.seconds,
    shutdownClean: stopped.code === 0 && !stopped.killed,
    warnings: server.warnings(),
    ingest,
    machineCoresInWindow: probe.machineCores,
    backgroundCoresBefore,
  };
  if (!serverSide.shutdownClean) log(`server did not stop cleanly: code ${stopped.code}, signal ${stopped.signal}${stopped.killed ? ' (killed after 30 s)' : ''}\n${server.tail()}`);
  if (options.serverCpuProfileDir) {
    log(serverSide.shutdownClean ? `server CPU profile written to ${resolve(options.serverCpuProfileDir)}` : 'no server CPU profile: --cpu-prof writes it only on a clean exit');
  }
  if (options.serverV8ProfileDir) {
    log(`server V8 tick logs in ${resolve(options.serverV8ProfileDir)}: load-window-isolate-*.log stop at the end of the measured window; read with node --prof-process`);
  }

  const rows = Math.max(check.expected, 1);
  // The baseline gets its own bound: building and inserting scales with the row count.
  const rawPhase = hardStop(90 + Math.ceil(rows / 10_000), 'the raw-insert baseline');
  log(`baseline: inserting ${rows.toLocaleString('en-US')} rows with insertSpans into a fresh chDB, batches of ${options.rawBatch.toLocaleString('en-US')}`);
  const raw = await runRawInsert(options, rows);
  clearTimeout(rawPhase);

  const figures = computeFigures(options, gen, serverSide, check, raw);
  printTable(figures, gen, check, raw, serverSide.shutdownClean);
  process.stdout.write(`BENCH_INGEST_JSON ${JSON.stringify(figures)}\n`);
  if (serverSide.warnings.count > 0) log(`server warnings (first ${serverSide.warnings.samples.length}):\n${serverSide.warnings.samples.join('\n')}`);

  if (!figures.stored_check.ok) {
    process.stderr.write(
      `\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n` +
        `!!! STORED TOTALS DO NOT MATCH: the API counts ${check.apiCalls ?? 'nothing'} calls, the server acknowledged ${check.expected} LLM spans.\n` +
        (check.error ? `!!! ${check.error}\n` : '') +
        `!!! calls by model: ${JSON.stringify(check.byModel)}\n` +
        `!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n`,
    );
    return 1;
  }
  return 'error' in raw ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
