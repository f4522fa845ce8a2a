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
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs, type BenchOptions } from './src/args';
import { computeFigures, printTable } from './src/figures';
import { backgroundCores, forkChild, hardStop, installCleanup, log, reportMismatch, runEmbedded, SEED, tempDir } from './src/harness';
import type { RawInsertConfig, RawInsertMessage } from './src/protocol';
import { busyCores, readMachineTicks, type MachineTicks } from './src/machine-cpu';

// Whatever way this process ends, no child outlives it and no temp dir stays.
installCleanup();

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
  const backgroundCoresBefore = await backgroundCores();
  log(`machine: ${availableParallelism()} cores, ${backgroundCoresBefore === undefined ? '?' : backgroundCoresBefore.toFixed(2)} cores busy with other work before the bench`);

  const { gen, serverSide, check } = await runEmbedded(options, runId, runStarted, backgroundCoresBefore);

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
    reportMismatch(check, 'the server');
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
