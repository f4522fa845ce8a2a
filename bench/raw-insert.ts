/**
 * The baseline of `pnpm bench:ingest`, run by bench/ingest.ts as its own
 * process after the server has stopped (config as JSON in argv[2], result
 * over Node IPC): how fast core's `insertSpans` alone stores the same number
 * of normalised rows into embedded chDB, in sequential batches. The rows are
 * the pipeline's own: the same seeded workload, decoded, mapped and priced by
 * the collector's functions, then copied with fresh ids — all before timing.
 */
import { decodeTraceRequest, mapTraceRequest, priceSpan } from '@spanlens/collector';
import { configSchema, createPricer, insertSpans, migrate, openClickHouse, type LlmSpan } from '@spanlens/core';
import type { RawInsertConfig, RawInsertMessage } from './src/protocol';
import { tellParent } from './src/protocol';
import { buildPool, nowNs } from './src/request-pool';

const DATABASE = 'bench';

const tell = (message: RawInsertMessage): Promise<void> => tellParent(message, 'raw-insert.ts');

function templateRows(config: RawInsertConfig): LlmSpan[] {
  const pool = buildPool({ seed: config.seed, bodies: config.poolBodies, minSpans: config.minSpans, maxSpans: config.maxSpans, runPrefix: Buffer.alloc(8, 0xba), nowNs: nowNs() });
  const mapping = configSchema.parse({}).mapping;
  const pricer = createPricer({ customPrices: [] });
  const rows: LlmSpan[] = [];
  for (const body of pool) {
    const decoded = decodeTraceRequest(body.template, 'protobuf');
    if (!decoded.ok) throw new Error(`a pooled request does not decode: ${decoded.error}`);
    for (const span of mapTraceRequest(decoded.request, mapping).spans) {
      rows.push(priceSpan(span, pricer));
    }
  }
  return rows;
}

/** `count` rows cycling through the templates, each with its own trace and span id. */
function copies(templates: readonly LlmSpan[], count: number, idBase: number): LlmSpan[] {
  return Array.from({ length: count }, (_, i) => {
    const n = idBase + i;
    return { ...templates[i % templates.length]!, trace_id: `ba5e${n.toString(16).padStart(28, '0')}`, span_id: (n + 1).toString(16).padStart(16, '0') };
  });
}

async function run(config: RawInsertConfig): Promise<void> {
  const buildStarted = performance.now();
  const templates = templateRows(config);
  const warmup = copies(templates, 100, config.rows);
  const rows = copies(templates, config.rows, 0);
  const batches: LlmSpan[][] = [];
  for (let i = 0; i < rows.length; i += config.batch) batches.push(rows.slice(i, i + config.batch));
  await tell({ type: 'built', rows: rows.length, templates: templates.length, buildMs: performance.now() - buildStarted });

  const client = await openClickHouse({ data_dir: config.dataDir, database: DATABASE, clickhouse: { user: 'default', password: '' } });
  try {
    await migrate(client, DATABASE);
    await insertSpans(client, DATABASE, warmup);
    const batchMs: number[] = [];
    await tell({ type: 'inserting' });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const batch of batches) {
      const t = performance.now();
      await insertSpans(client, DATABASE, batch);
      batchMs.push(performance.now() - t);
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const answer = await client.query({ query: `SELECT count() AS n FROM ${DATABASE}.llm_spans`, format: 'JSONEachRow' });
    const stored = Number((await answer.json<{ n: number | string }>())[0]?.n ?? 0) - warmup.length;
    batchMs.sort((a, b) => a - b);
    await tell({
      type: 'result',
      rows: rows.length,
      seconds,
      rowsPerSecond: rows.length / seconds,
      stored,
      batches: batches.length,
      batchMsP50: batchMs[Math.floor(batchMs.length / 2)] ?? 0,
      batchMsMax: batchMs[batchMs.length - 1] ?? 0,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
    });
  } finally {
    await client.close();
  }
}

const config = JSON.parse(process.argv[2] ?? '{}') as RawInsertConfig;
run(config).then(
  () => process.exit(0),
  async (error: unknown) => {
    await tell({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }).catch(() => undefined);
    process.exit(1);
  },
);
