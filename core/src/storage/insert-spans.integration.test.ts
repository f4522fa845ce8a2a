import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSpans } from './insert-spans';
import { makeSpan } from './test-spans';
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

  it('stores an empty batch as nothing', async () => {
    await expect(insertSpans(store.client, store.database, [])).resolves.toBeUndefined();
  });
});
