/**
 * `pnpm bench:query`: how much the hourly rollup speeds up a 30-day cost
 * query. Stores 30 days of synthetic priced spans in a fresh embedded chDB,
 * times `queryCosts` for every grouping first with no rollup (every hour read
 * from raw spans, deduplicated) and then after `refreshRollup`, checks that
 * both answers are identical, and prints the figures and the speed-up.
 * Options: --days N (30), --spans-per-hour N (1500), --repeat N (3).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryCosts, refreshRollup } from '@spanlens/analytics';
import { costGroupings, insertSpans, migrate, openClickHouse, type CostReport, type LlmSpan } from '@spanlens/core';

const arg = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};
const days = arg('days', 30);
const spansPerHour = arg('spans-per-hour', 1500);
const repeat = arg('repeat', 3);

const models = [['openai', 'gpt-4o'], ['openai', 'gpt-4o-mini'], ['anthropic', 'claude-sonnet-4-20250514'], ['google', 'gemini-2.0-flash']] as const;
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

function span(atMs: number): LlmSpan {
  const [provider, model] = pick(models);
  const input = 200 + Math.floor(random() * 4000);
  const output = 20 + Math.floor(random() * 800);
  const cost = (input * 2.5 + output * 10) / 1e6;
  const start = BigInt(atMs) * 1_000_000n;
  return {
    trace_id: randomBytes(16).toString('hex'), span_id: randomBytes(8).toString('hex'), parent_span_id: '',
    start_time_ns: String(start), end_time_ns: String(start + 900_000_000n), duration_ms: 900,
    service_name: 'web', span_name: 'chat', provider, operation: 'chat', request_model: model, response_model: model, model,
    input_tokens: input, output_tokens: output, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0,
    finish_reasons: ['stop'], is_error: false, error_type: '', ttft_ms: null,
    feature: `feature-${Math.floor(random() * 20)}`, user_id: `user-${Math.floor(random() * 2000)}`, session_id: '',
    prompt_id: `prompt-${Math.floor(random() * 30)}`, prompt_version: String(1 + Math.floor(random() * 3)),
    code_file_path: `src/feature-${Math.floor(random() * 50)}.ts`, code_line_number: 10 + Math.floor(random() * 200), code_function_name: '',
    cost_usd: cost, input_cost_usd: cost, output_cost_usd: 0, unpriced: false, price_version: 'bench',
    attributes: {}, resource_attributes: {},
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function timeQueries(client: Awaited<ReturnType<typeof openClickHouse>>, database: string, from: Date, to: Date) {
  const results = new Map<string, { ms: number; report: CostReport }>();
  for (const groupBy of costGroupings) {
    const times: number[] = [];
    let report: CostReport | undefined;
    for (let i = 0; i < repeat; i++) {
      const started = performance.now();
      report = await queryCosts(client, database, { groupBy, from, to });
      times.push(performance.now() - started);
    }
    results.set(groupBy, { ms: median(times), report: report as CostReport });
  }
  return results;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-bench-query-'));
  const database = 'bench';
  const client = await openClickHouse({ data_dir: join(dir, 'data'), database, clickhouse: { user: 'default', password: '' } });
  try {
    await migrate(client, database);
    const to = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const from = new Date(to.getTime() - days * 86_400_000);
    const hours = days * 24;
    const insertStarted = performance.now();
    let batch: LlmSpan[] = [];
    for (let h = 0; h < hours; h++) {
      const hourStart = from.getTime() + h * 3_600_000;
      for (let i = 0; i < spansPerHour; i++) batch.push(span(hourStart + Math.floor((i / spansPerHour) * 3_600_000)));
      if (batch.length >= 20_000) {
        await insertSpans(client, database, batch);
        batch = [];
      }
    }
    await insertSpans(client, database, batch);
    const total = hours * spansPerHour;
    console.log(`stored ${total.toLocaleString('en-US')} spans over ${days} days in ${((performance.now() - insertStarted) / 1000).toFixed(1)} s`);

    const raw = await timeQueries(client, database, from, to);
    const refreshStarted = performance.now();
    const { hoursRefreshed } = await refreshRollup(client, database);
    console.log(`rollup refreshed ${hoursRefreshed} hours in ${((performance.now() - refreshStarted) / 1000).toFixed(1)} s`);
    const rolled = await timeQueries(client, database, from, to);

    console.log(`\n${days}-day cost query, median of ${repeat}:`);
    console.log('group_by   raw spans   rollup   speed-up   rows   identical');
    let allIdentical = true;
    const figures: Record<string, { raw_ms: number; rollup_ms: number; rows: number }> = {};
    for (const groupBy of costGroupings) {
      const a = raw.get(groupBy)!;
      const b = rolled.get(groupBy)!;
      const identical = JSON.stringify(a.report.rows) === JSON.stringify(b.report.rows) && a.report.total_cost_usd === b.report.total_cost_usd;
      allIdentical &&= identical;
      figures[groupBy] = { raw_ms: Math.round(a.ms), rollup_ms: Math.round(b.ms), rows: b.report.rows.length };
      console.log(`${groupBy.padEnd(9)} ${a.ms.toFixed(0).padStart(8)} ms ${b.ms.toFixed(0).padStart(6)} ms ${(a.ms / b.ms).toFixed(1).padStart(8)}x ${String(b.report.rows.length).padStart(6)}   ${identical ? 'yes' : 'NO'}`);
    }
    console.log(JSON.stringify({ bench: 'query', days, spans: total, figures }));
    if (!allIdentical) {
      console.error('the rollup and the raw spans disagree');
      process.exitCode = 1;
    }
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
