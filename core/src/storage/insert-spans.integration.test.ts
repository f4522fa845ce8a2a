import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LlmSpan } from '../model/span';
import { EARLIEST_NS } from '../model/time-range';
import { insertAsJson, insertSpans, INSERT_FILES_DIR } from './insert-spans';
import { migrate } from './migrate';
import { makeSpan } from './test-spans';
import { wellFormed } from './well-formed';
import { openTestStore, selectRows, type TestStore } from './test-store';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('insert_test');
});
afterAll(async () => {
  await store.close();
});

/** Distinct spans in a trace, counted the way every reader must: deduped, no FINAL. */
async function dedupedCount(traceId: string): Promise<number> {
  const rows = await selectRows<{ n: number | string }>(
    store.client,
    `SELECT count() AS n FROM (
       SELECT span_id FROM insert_test.llm_spans WHERE trace_id = {trace:String}
       ORDER BY received_at DESC LIMIT 1 BY trace_id, span_id)`,
    { trace: traceId },
  );
  return Number(rows[0]?.n);
}

describe('insertSpans', () => {
  // First in the file: the insert folder is emptied on the process's first insert.
  it('removes insert files a killed process left behind, and leaves none of its own', async () => {
    const folder = join(store.dataDir, INSERT_FILES_DIR);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, '999-0.native'), 'half-written');
    await insertSpans(store.client, store.database, [makeSpan()]);
    expect(readdirSync(folder)).toEqual([]);
    // A failed insert removes its file too, and says why it failed.
    await expect(insertSpans(store.client, 'no_such_database', [makeSpan()])).rejects.toThrow(/no_such_database/);
    expect(readdirSync(folder)).toEqual([]);
    expect(existsSync(folder)).toBe(true);
  });

  it('round-trips nanosecond timestamps exactly', async () => {
    const stamps = ['1732280000123456789', '1732280000000000001', '1732283999999999999', '1700000000999999999'];
    const spans = stamps.map((ns) => makeSpan({ start_time_ns: ns, end_time_ns: String(BigInt(ns) + 7n) }));
    await insertSpans(store.client, store.database, spans);
    const rows = await selectRows<{ span_id: string; start_ns: string; end_ns: string }>(
      store.client,
      `SELECT span_id, toString(toUnixTimestamp64Nano(start_time)) AS start_ns, toString(toUnixTimestamp64Nano(end_time)) AS end_ns
       FROM insert_test.llm_spans WHERE span_id IN {ids:Array(String)}`,
      { ids: spans.map((s) => s.span_id) },
    );
    const byId = new Map(rows.map((r) => [r.span_id, r]));
    for (const span of spans) {
      expect(byId.get(span.span_id)).toMatchObject({ start_ns: span.start_time_ns, end_ns: span.end_time_ns });
    }
  });

  it('stores every field of the span as given', async () => {
    const span = makeSpan({
      cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true, ttft_ms: null,
      is_error: true, error_type: 'rate_limit', finish_reasons: ['length', 'stop'],
      attributes: { "quote'and\ttab": 'line\nbreak \\ back', empty: '' },
      // Captured content is emptied 30 days after the call (a column TTL), so this call is recent.
      start_time_ns: `${Date.now() - 60_000}000000`, end_time_ns: `${Date.now() - 58_750}000000`,
      prompt_text: 'Summarise:\n«ticket»', completion_text: 'Two sentences.',
    });
    await insertSpans(store.client, store.database, [span]);
    const [row] = await selectRows<Record<string, unknown>>(
      store.client,
      `SELECT * EXCEPT (start_time, end_time, received_at) FROM insert_test.llm_spans WHERE span_id = {id:String}`,
      { id: span.span_id },
    );
    const { start_time_ns: _start, end_time_ns: _end, ...fields } = span;
    const numeric = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens'];
    const normalised = Object.fromEntries(Object.entries(row ?? {}).map(([k, v]) => [k, numeric.includes(k) ? Number(v) : v]));
    expect(normalised).toEqual(fields);
  });

  it('counts a span delivered twice once, before and after merges', async () => {
    const first = makeSpan();
    const second = makeSpan({ trace_id: first.trace_id });
    // Once in the same batch and once in a later batch.
    await insertSpans(store.client, store.database, [first, second, first]);
    await insertSpans(store.client, store.database, [first]);
    expect(await dedupedCount(first.trace_id)).toBe(2);
    // Only a test may force merges; readers never rely on them.
    await store.client.command({ query: 'OPTIMIZE TABLE insert_test.llm_spans FINAL' });
    expect(await dedupedCount(first.trace_id)).toBe(2);
    const raw = await selectRows<{ n: number | string }>(
      store.client, 'SELECT count() AS n FROM insert_test.llm_spans WHERE trace_id = {t:String}', { t: first.trace_id });
    expect(Number(raw[0]?.n)).toBe(2);
  });

  it('marks each hour a batch touched, after storing the batch', async () => {
    const hourA = 1_800_000_000 - (1_800_000_000 % 3600);
    const inA = (offsetSeconds: number) => `${hourA + offsetSeconds}000000000`;
    await insertSpans(store.client, store.database, [
      makeSpan({ start_time_ns: inA(1) }),
      makeSpan({ start_time_ns: inA(3599) }),
      makeSpan({ start_time_ns: inA(3600) }),
    ]);
    const touched = await selectRows<{ hour: number }>(
      store.client,
      `SELECT DISTINCT toUnixTimestamp(hour) AS hour FROM insert_test.span_hours_touched
       WHERE hour >= toDateTime({from:UInt32}, 'UTC') ORDER BY hour`,
      { from: hourA },
    );
    expect(touched.map((t) => Number(t.hour))).toEqual([hourA, hourA + 3600]);
  });

  it('stores a batch whose spans fall in 150 different months, which ClickHouse refuses by default', async () => {
    // One client's wildly dated spans must not fail the spans of every request batched with them.
    const month = 31n * 86_400n * 1_000_000_000n;
    const spans = Array.from({ length: 150 }, (_, i) => {
      const start = BigInt(EARLIEST_NS) + BigInt(i) * month;
      return makeSpan({ feature: 'months', start_time_ns: String(start), end_time_ns: String(start + 1_000_000n) });
    });
    await insertSpans(store.client, store.database, spans);
    const [row] = await selectRows<{ spans: string; months: string; hours: string }>(
      store.client,
      `SELECT count() AS spans, uniqExact(toYYYYMM(start_time)) AS months,
              (SELECT uniqExact(toYYYYMM(hour)) FROM ${store.database}.span_hours_touched) AS hours
       FROM ${store.database}.llm_spans WHERE feature = 'months'`,
    );
    expect(Number(row!.spans)).toBe(150);
    expect(Number(row!.months)).toBe(150);
    expect(Number(row!.hours)).toBeGreaterThanOrEqual(150);
  });

  it('stores an empty batch as nothing', async () => {
    await expect(insertSpans(store.client, store.database, [])).resolves.toBeUndefined();
  });

  it('stores exactly what the text-row insert stores, for every kind of value', async () => {
    // The embedded store reads Native files; a ClickHouse server gets text rows.
    // The same spans both ways, into two databases, must read back identical.
    await migrate(store.client, 'insert_json');
    const spans = randomSpans(400);
    await insertAsJson(store.client, 'insert_json', spans);
    await insertSpans(store.client, store.database, spans);
    const read = (database: string) =>
      selectRows<Record<string, unknown>>(
        store.client,
        `SELECT * EXCEPT received_at, toString(toUnixTimestamp64Nano(start_time)) AS start_ns FROM ${database}.llm_spans
         WHERE trace_id LIKE 'feed%' ORDER BY span_id`,
      );
    const viaText = await read('insert_json');
    const viaNative = await read(store.database);
    expect(viaText).toHaveLength(spans.length);
    expect(viaNative).toEqual(viaText);
    // And both hold what was sent (lone surrogates become U+FFFD).
    const sent = [...spans].sort((a, b) => (a.span_id < b.span_id ? -1 : 1));
    expect(viaNative.map((row) => [row.start_ns, row.user_id, row.attributes, Number(row.output_tokens), row.code_line_number])).toEqual(
      sent.map((span) => [span.start_time_ns, wellFormed(span.user_id), wellFormedKeys(span.attributes), span.output_tokens, span.code_line_number]),
    );
  });
});

function wellFormedKeys(map: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(map).map(([key, value]) => [wellFormed(key), wellFormed(value)]));
}

/** Spans with values of every shape a column can get: scripts, escapes, lone surrogates, long text, nulls, extremes. */
function randomSpans(count: number): LlmSpan[] {
  // xorshift32: the product of a 31-bit seed and an LCG multiplier is past
  // 2^53, so a floating-point LCG here lost its low bits and gave 0 for
  // next(4) 1,995 times in 2,000, and most of these "random" spans alike.
  let seed = 20_261_123;
  const next = (below: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % below;
  };
  const pieces = ['a', 'Z', '0', ' ', 'é', 'ü', '€', '日本', '🙂', "'", '"', '\\', '\t', '\n', '\u0000', '\ud800', '\udfff', 'gpt-4o', '{}', '[', ','];
  const text = (most: number) => {
    let out = '';
    const length = next(8) === 0 ? next(most) : next(12);
    for (let i = 0; i < length; i++) out += pieces[next(pieces.length)];
    return out;
  };
  const map = () => {
    const entries: Record<string, string> = {};
    const size = next(4) === 0 ? 0 : next(12);
    // No key may differ from another only by its lone surrogates: both would be stored as one U+FFFD key.
    for (let i = 0; i < size; i++) entries[`k${i}.${text(20).replace(/[\ud800-\udfff]/g, '')}`] = text(300);
    return entries;
  };
  const number = () => [0, 1, 0.1, 1 / 3, 1e-12, 123_456.789, 2 ** 53 - 1, Number.MIN_VALUE, 0.0042][next(9)]!;
  // Spans of one resource share its attributes object, as the receiver hands
  // them over (the Native writer copies a repeated object's bytes); now and
  // then a span shares its attributes object with the span before, too.
  let resource = map();
  let attributes = map();
  return Array.from({ length: count }, (_, i) => {
    if (next(4) === 0) resource = map();
    if (next(3) > 0) attributes = map();
    const prompt = next(10) === 0 ? text(6000) : '';
    const completion = next(10) === 0 ? text(3000) : '';
    // Captured text is emptied by a column TTL 30 days after the call, whenever a
    // background merge gets to it: spans with text are recent, the others from any time.
    const start =
      prompt || completion
        ? BigInt(Date.now() - next(20 * 86_400) * 1000) * 1_000_000n + BigInt(next(1_000_000))
        : BigInt(EARLIEST_NS) + BigInt(next(2_000_000_000)) * 1_000_000_000n + BigInt(next(1_000_000_000));
    const priced = next(3) > 0;
    return makeSpan({
      trace_id: `feed${i.toString(16).padStart(28, '0')}`,
      span_id: i.toString(16).padStart(16, '0'),
      parent_span_id: next(2) ? '' : (i + 7).toString(16).padStart(16, '0'),
      start_time_ns: String(start),
      end_time_ns: String(start + BigInt(next(100_000)) * 1_000_000n),
      duration_ms: number(),
      service_name: text(30), span_name: text(40), provider: text(10), operation: text(10),
      request_model: text(20), response_model: text(20), model: text(20),
      input_tokens: next(5) === 0 ? 2 ** 53 - 1 : next(100_000),
      output_tokens: next(5) === 0 ? 2 ** 32 + next(1000) : next(10_000),
      cache_read_tokens: next(1000), cache_write_tokens: next(2) * next(1000), reasoning_tokens: 0,
      finish_reasons: Array.from({ length: next(4) }, () => text(8)),
      is_error: next(2) === 1, error_type: text(12), ttft_ms: next(3) === 0 ? null : number(),
      feature: text(20), user_id: text(200), session_id: text(20), prompt_id: text(20), prompt_version: text(4),
      code_file_path: text(60), code_line_number: next(6) === 0 ? 4_294_967_295 : next(5000), code_function_name: text(20),
      cost_usd: priced ? number() : null, input_cost_usd: priced ? number() : null, output_cost_usd: priced ? number() : null,
      unpriced: !priced, price_version: text(12),
      attributes, resource_attributes: resource,
      prompt_text: prompt, completion_text: completion,
    });
  });
}
