import { LoopbackClient } from './http-client';

/** The server's own ingest metrics (Prometheus text), for seeing where a request's time goes. */
export interface IngestMetrics {
  batches: number;
  batchSpans: number;
  insertSeconds: number;
  /** V8 heap reserved and memory held by JS objects outside it (Buffers), bytes. */
  heapTotal: number;
  external: number;
}

const SERIES = {
  batches: 'spanlens_ingest_batch_spans_count',
  batchSpans: 'spanlens_ingest_batch_spans_sum',
  insertSeconds: 'spanlens_ingest_insert_seconds_sum',
  heapTotal: 'spanlens_nodejs_heap_size_total_bytes',
  external: 'spanlens_nodejs_external_memory_bytes',
} as const;

export async function scrapeIngestMetrics(baseUrl: string): Promise<IngestMetrics | undefined> {
  const values = await scrapeMetrics(baseUrl, Object.values(SERIES));
  if (!values) return undefined;
  return {
    batches: values[SERIES.batches]!,
    batchSpans: values[SERIES.batchSpans]!,
    insertSeconds: values[SERIES.insertSeconds]!,
    heapTotal: values[SERIES.heapTotal]!,
    external: values[SERIES.external]!,
  };
}

/**
 * The named series of a process's /metrics, each summed over its label sets
 * (NaN when the process does not export it); undefined when it did not answer.
 */
export async function scrapeMetrics(baseUrl: string, names: readonly string[]): Promise<Record<string, number> | undefined> {
  const client = new LoopbackClient(baseUrl, { maxSockets: 1 });
  try {
    const answer = await client.get('/metrics', 10_000);
    if (answer.status !== 200) return undefined;
    const totals = new Map<string, number>(names.map((name) => [name, Number.NaN]));
    for (const line of answer.body.toString('utf8').split('\n')) {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (\S+)$/.exec(line);
      const previous = match ? totals.get(match[1]!) : undefined;
      if (previous !== undefined) totals.set(match![1]!, (Number.isNaN(previous) ? 0 : previous) + Number(match![2]));
    }
    return Object.fromEntries(totals);
  } catch {
    return undefined;
  } finally {
    client.close();
  }
}

/** What happened between two scrapes: batches written, their mean size and time, and how busy the writer was. */
export function ingestDelta(before: IngestMetrics | undefined, after: IngestMetrics | undefined, seconds: number) {
  if (!before || !after) return undefined;
  const batches = after.batches - before.batches;
  const spans = after.batchSpans - before.batchSpans;
  const insertSeconds = after.insertSeconds - before.insertSeconds;
  if (!Number.isFinite(batches) || batches <= 0) return undefined;
  return {
    batches,
    mean_batch_spans: Math.round(spans / batches),
    mean_insert_ms: Math.round((insertSeconds / batches) * 1000),
    /** Share of the window the single writer spent inside inserts. */
    writer_busy: Math.round((insertSeconds / seconds) * 100) / 100,
    /** At the end of the window: how much of the RSS is the JS heap; the rest is mostly chDB. */
    v8_heap_total_mib: Math.round(after.heapTotal / 1024 / 1024),
    external_mib: Math.round(after.external / 1024 / 1024),
  };
}
