/**
 * Prints how fast `insertSpans` stores realistic spans in embedded chDB.
 * Run: npx tsx core/src/storage/bench-insert-spans.ts [spans] [batch]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertSpans } from './insert-spans';
import { migrate } from './migrate';
import { openClickHouse } from './open-clickhouse';
import { makeSpan } from './test-spans';
import type { LlmSpan } from '../model/span';

const total = Number(process.argv[2] ?? 50_000);
const batchSize = Number(process.argv[3] ?? 5_000);
const features = ['support-chat', 'search-rerank', 'summarise', 'classify', 'agent-plan'];
const models = ['gpt-4o-2024-08-06', 'gpt-4o-mini', 'claude-sonnet-4', 'llama-3-70b-ft'];

function realisticSpans(count: number): LlmSpan[] {
  const base = 1_732_280_000_000_000_000n;
  return Array.from({ length: count }, (_, i) => {
    const start = base + BigInt(i) * 250_000_000n + BigInt(i % 997);
    const model = models[i % models.length]!;
    const unpriced = model.endsWith('-ft');
    return makeSpan({
      start_time_ns: String(start),
      end_time_ns: String(start + 900_000_000n),
      feature: features[i % features.length]!,
      user_id: `user-${i % 5000}`,
      session_id: `session-${i % 20000}`,
      model,
      input_tokens: 200 + (i % 3000),
      output_tokens: 50 + (i % 700),
      cost_usd: unpriced ? null : (i % 1000) / 100_000,
      unpriced,
      attributes: { 'gen_ai.request.temperature': '0.2', 'http.route': `/v1/${features[i % features.length]}`, 'request.id': `req-${i}` },
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-'));
const client = await openClickHouse({ data_dir: dir, database: 'bench', clickhouse: { user: 'default', password: '' } });
await migrate(client, 'bench');
const spans = realisticSpans(total);
await insertSpans(client, 'bench', spans.slice(0, 100)); // warm-up
const started = performance.now();
for (let i = 0; i < spans.length; i += batchSize) {
  await insertSpans(client, 'bench', spans.slice(i, i + batchSize));
}
const seconds = (performance.now() - started) / 1000;
const stored = await (await client.query({ query: 'SELECT uniqExact(trace_id, span_id) AS n FROM bench.llm_spans', format: 'JSONEachRow' })).json<{ n: number | string }>();
console.log(`${total} spans in batches of ${batchSize}: ${seconds.toFixed(2)} s, ${Math.round(total / seconds)} spans/s (distinct spans stored: ${stored[0]?.n})`);
await client.close();
rmSync(dir, { recursive: true, force: true });
