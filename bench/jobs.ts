/**
 * `pnpm bench:jobs`: the analytics jobs and the cost API over a month of
 * traffic. Generates spans (and votes on ~2% of them) inside a fresh
 * embedded chDB store, runs every scheduled job once and times it, then
 * starts the API on the same store and times 30-day `GET /api/v1/costs` per
 * grouping. Prints a table and one `BENCH_JOBS_JSON {…}` line; the targets
 * (each job under 30 s, cost p95 under 200 ms) are reported, never enforced.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { applyRetention, createLogger, loadConfig, migrate, openClickHouse } from '@spanlens/core';
import { hardStop, installCleanup, log, repoRoot, tempDir, track } from './src/harness';
import { timeCostApi } from './src/jobs-cost-latency';
import { loadWorkload, measureSpanStore } from './src/jobs-load';
import { printJobsTable } from './src/jobs-report';
import { runJobsTimed } from './src/jobs-run';
import { fmt } from './src/stats';

const usage = `pnpm bench:jobs [options]
  --spans N      spans to generate (default 10000000)
  --days D       days they cover, ending now (default 30)
  --requests N   timed cost requests per grouping (default 20)
  --chunk N      spans per INSERT … SELECT (default 1000000)`;

function readOptions(argv: readonly string[]) {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      spans: { type: 'string', default: '10000000' },
      days: { type: 'string', default: '30' },
      requests: { type: 'string', default: '20' },
      chunk: { type: 'string', default: '1000000' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const whole = (name: 'spans' | 'days' | 'requests' | 'chunk') => {
    const value = Number(values[name]);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive whole number, not ${values[name]}\n${usage}`);
    return value;
  };
  return { spans: whole('spans'), days: whole('days'), requestsPerGrouping: whole('requests'), chunkRows: whole('chunk') };
}

async function main(): Promise<void> {
  const options = readOptions(process.argv.slice(2));
  installCleanup();
  const dir = tempDir('spanlens-bench-jobs-');
  const dataDir = join(dir, 'data');
  const loaded = loadConfig({ env: {}, cwd: dir });
  const config = { ...loaded, storage: { ...loaded.storage, data_dir: dataDir } };
  const database = config.storage.database;
  const logger = createLogger({ level: 'warn' });

  // chDB binds the data directory to one process: this one's client must be
  // closed before the API server opens it.
  const client = await openClickHouse(config.storage);
  let phase = hardStop(120 + Math.ceil(options.spans / 20_000), 'loading the workload');
  let closed = false;
  try {
    await migrate(client, database);
    // The TTLs a server sets at start, set on the empty tables as a long-running
    // store has them, so the server does not apply them to the loaded rows meanwhile.
    await applyRetention(client, database, config.retention);
    log(`generating ${fmt.int(options.spans)} spans over ${options.days} days in ${dataDir}`);
    const load = await loadWorkload(client, database, {
      spans: options.spans,
      days: options.days,
      chunkRows: options.chunkRows,
      now: new Date(),
      onProgress: (stored, seconds) => log(`  ${fmt.int(stored)} spans stored in ${seconds.toFixed(1)} s (${fmt.int(stored / seconds)} spans/s)`),
    });
    clearTimeout(phase);
    log(`loaded ${fmt.int(load.spans)} spans and ${fmt.int(load.feedback)} votes in ${load.seconds.toFixed(1)} s (${fmt.int(load.spansPerSecond)} spans/s)`);

    phase = hardStop(300 + Math.ceil(options.spans / 10_000), 'the analytics jobs');
    const jobs = await runJobsTimed({ client, database, config, logger }, (t) =>
      log(`job ${t.job} (${t.label}): ${t.outcome} in ${t.seconds.toFixed(2)} s — ${t.detail.slice(0, 160)}`),
    );
    const store = await measureSpanStore(client, database);
    clearTimeout(phase);
    await client.close();
    closed = true;

    phase = hardStop(300 + options.requestsPerGrouping * 30, 'the cost API phase');
    log(`starting the API on the store and timing GET /api/v1/costs`);
    const api = await timeCostApi({ repoRoot, dataDir, from: load.from, requestsPerGrouping: options.requestsPerGrouping, onChild: track });
    clearTimeout(phase);

    printJobsTable({ options, load, jobs, store, api });
  } finally {
    clearTimeout(phase);
    if (!closed) await client.close();
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
}
