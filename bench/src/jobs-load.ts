import { tableName, type openClickHouse } from '@spanlens/core';
import { insertGeneratedFeedbackSql, insertGeneratedSpansSql, markTouchedHoursSql } from './jobs-workload-sql';

const DAY_MS = 86_400_000;

/** The store's client, as openClickHouse returns it. */
export type StoreClient = Awaited<ReturnType<typeof openClickHouse>>;

export interface WorkloadOptions {
  spans: number;
  days: number;
  /** Rows generated per INSERT … SELECT, to bound one query's memory. */
  chunkRows: number;
  /** The end of the generated range; spans start at most a minute before it. */
  now: Date;
  onProgress(stored: number, seconds: number): void;
}

export interface LoadedWorkload {
  from: Date;
  to: Date;
  spans: number;
  feedback: number;
  hours: number;
  seconds: number;
  spansPerSecond: number;
}

/**
 * Generates the workload inside ClickHouse, chunk by chunk (each chunk's
 * spans, then the votes on them), marks the hours it filled as touched so
 * the rollup recomputes them, and counts what was stored.
 */
export async function loadWorkload(client: StoreClient, database: string, options: WorkloadOptions): Promise<LoadedWorkload> {
  const nowMs = options.now.getTime();
  const fromMs = nowMs - options.days * DAY_MS;
  // A trace's calls follow its start by up to ~4 s; ending the range a
  // minute early keeps every span and vote in the past.
  const rangeMs = options.days * DAY_MS - 60_000;
  const params = {
    total: options.spans,
    from_ns: String(BigInt(fromMs) * 1_000_000n),
    range_ns: String(BigInt(rangeMs) * 1_000_000n),
    // The longer answers of the incident features begin 30 hours before the end.
    incident_ns: String(BigInt(nowMs - 30 * 3_600_000) * 1_000_000n),
    now_ms: nowMs,
  };
  const spansSql = insertGeneratedSpansSql(database);
  const feedbackSql = insertGeneratedFeedbackSql(database);
  const started = performance.now();
  for (let offset = 0; offset < options.spans; offset += options.chunkRows) {
    const chunk = { ...params, offset, count: Math.min(options.chunkRows, options.spans - offset) };
    // Readers dedupe spans themselves, as for the span writer's inserts.
    await client.command({ query: spansSql, query_params: chunk, clickhouse_settings: { optimize_on_insert: 0 } });
    await client.command({ query: feedbackSql, query_params: chunk });
    options.onProgress(offset + chunk.count, (performance.now() - started) / 1000);
  }
  // Touches come after the spans they describe, as insertSpans writes them.
  await client.command({ query: markTouchedHoursSql(database) });
  const seconds = (performance.now() - started) / 1000;

  const counts = await client.query({
    query: `SELECT (SELECT count() FROM ${tableName(database, 'llm_spans')}) AS spans,
                   (SELECT count() FROM ${tableName(database, 'feedback')}) AS feedback,
                   (SELECT count() FROM ${tableName(database, 'span_hours_touched')}) AS hours`,
    format: 'JSONEachRow',
  });
  const [row] = await counts.json<{ spans: string | number; feedback: string | number; hours: string | number }>();
  const spans = Number(row?.spans ?? 0);
  return {
    from: new Date(fromMs),
    to: new Date(nowMs),
    spans,
    feedback: Number(row?.feedback ?? 0),
    hours: Number(row?.hours ?? 0),
    seconds,
    spansPerSecond: spans / seconds,
  };
}

export interface StoreSize {
  compressedBytes: number;
  uncompressedBytes: number;
  rows: number;
  parts: number;
  bytesPerSpan: number;
}

/** Compressed bytes of llm_spans's active parts per stored row. */
export async function measureSpanStore(client: StoreClient, database: string): Promise<StoreSize> {
  const result = await client.query({
    query: `SELECT sum(data_compressed_bytes) AS compressed, sum(data_uncompressed_bytes) AS uncompressed, sum(rows) AS rows, count() AS parts
            FROM system.parts
            WHERE database = {database:String} AND table = 'llm_spans' AND active`,
    query_params: { database },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ compressed: string; uncompressed: string; rows: string; parts: string }>();
  const compressedBytes = Number(row?.compressed ?? 0);
  const rows = Number(row?.rows ?? 0);
  return {
    compressedBytes,
    uncompressedBytes: Number(row?.uncompressed ?? 0),
    rows,
    parts: Number(row?.parts ?? 0),
    bytesPerSpan: rows > 0 ? compressedBytes / rows : Number.NaN,
  };
}
