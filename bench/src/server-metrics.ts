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
  heapTotal: 'spanlens_process_nodejs_heap_size_total_bytes',
  external: 'spanlens_process_nodejs_external_memory_bytes',
} as const;

export async function scrapeIngestMetrics(baseUrl: string): Promise<IngestMetrics | undefined> {
  const client = new LoopbackClient(baseUrl, { maxSockets: 1 });
  try {
    const answer = await client.get('/metrics', 10_000);
    if (answer.status !== 200) return undefined;
    const text = answer.body.toString('utf8');
    const value = (name: string) => {
      const match = new RegExp(`^${name}(?:\\{[^}]*\\})? ([0-9.eE+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) : Number.NaN;
    };
    return {
      batches: value(SERIES.batches),
      batchSpans: value(SERIES.batchSpans),
      insertSeconds: value(SERIES.insertSeconds),
      heapTotal: value(SERIES.heapTotal),
      external: value(SERIES.external),
    };
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
