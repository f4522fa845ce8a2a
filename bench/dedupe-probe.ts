// How much of a raw 30-day read is folding the copies of a span, by method, over 1M generated spans: `pnpm bench:dedupe`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openClickHouse } from '@spanlens/core';
import { loadWorkload } from './src/jobs-load';

const dir = mkdtempSync(join(tmpdir(), 'spanlens-dedupe-'));
const client = await openClickHouse({ data_dir: dir, database: 'd', clickhouse: { user: 'default', password: '' } });
try {
  await migrate(client, 'd');
  const now = new Date();
  await loadWorkload(client, 'd', { spans: 1_000_000, days: 30, chunkRows: 1_000_000, now, onProgress: () => undefined });
  const cols = 'cost_usd, input_tokens, output_tokens, duration_ms, is_error, ttft_ms';
  const agg = 'count(), sum(ifNull(cost_usd,0)), sum(input_tokens), sum(output_tokens), countIf(is_error), quantilesExact(0.5,0.95,0.99)(duration_ms), quantilesExactIf(0.5,0.95,0.99)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL)';
  const variants: Record<string, string> = {
    'ORDER BY received_at LIMIT 1 BY': `SELECT ${agg} FROM (SELECT trace_id, span_id, ${cols} FROM d.llm_spans ORDER BY received_at DESC LIMIT 1 BY trace_id, span_id)`,
    'GROUP BY + argMax': `SELECT ${agg} FROM (SELECT ${cols.split(', ').map((c) => `argMax(${c}, received_at) AS ${c}`).join(', ')} FROM d.llm_spans GROUP BY trace_id, span_id)`,
    'LIMIT 1 BY, no ORDER': `SELECT ${agg} FROM (SELECT trace_id, span_id, ${cols} FROM d.llm_spans LIMIT 1 BY trace_id, span_id)`,
    'FINAL': `SELECT ${agg} FROM d.llm_spans FINAL`,
    'no dedupe': `SELECT ${agg} FROM d.llm_spans`,
  };
  for (const [label, query] of Object.entries(variants)) {
    const samples: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await (await client.query({ query, format: 'JSONEachRow' })).json();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    console.log(`${label.padEnd(32)} median ${samples[2]!.toFixed(0).padStart(6)} ms`);
  }
} finally {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
}
