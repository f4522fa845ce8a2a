import { describe, expect, it } from 'vitest';
import { makeSpan } from '../storage/test-spans';
import { decodeSpanEnvelope, encodeSpanEnvelope, spanEnvelopeSchema } from './span-envelope';
import { EARLIEST_NS, LATEST_NS } from './time-range';

describe('span envelope', () => {
  it('round-trips a span with its schema version', () => {
    const span = makeSpan({ cost_usd: 0.0042, attributes: { 'app.tier': 'pro' } });
    const text = encodeSpanEnvelope(span);
    expect(JSON.parse(text).schema_version).toBe(1);
    expect(decodeSpanEnvelope(Buffer.from(text))).toEqual({ ok: true, value: span });
  });

  it('says what is wrong with a message it cannot read', () => {
    expect(decodeSpanEnvelope(null)).toEqual({ ok: false, error: 'empty message: expected a JSON span envelope' });
    expect(decodeSpanEnvelope(Buffer.from('{"schema_version":1,'))).toMatchObject({ ok: false, error: expect.stringMatching(/^not JSON: /) });
    expect(decodeSpanEnvelope('[1,2]')).toEqual({ ok: false, error: 'expected a JSON object with schema_version and span' });
    expect(decodeSpanEnvelope('{"schema_version":2,"span":{}}')).toEqual({
      ok: false,
      error: 'unsupported schema_version 2: this worker reads version 1',
    });
    const bad = JSON.parse(encodeSpanEnvelope(makeSpan()));
    bad.span.input_tokens = -3;
    expect(decodeSpanEnvelope(JSON.stringify(bad))).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid span: span\.input_tokens: /) });
    // A time ClickHouse would refuse (and the whole insert with it) goes to the dead-letter topic instead.
    const early = JSON.parse(encodeSpanEnvelope(makeSpan()));
    early.span.start_time_ns = '1718035200000';
    expect(decodeSpanEnvelope(JSON.stringify(early))).toEqual({ ok: false, error: 'invalid span: span.start_time_ns: outside the times stored (2001-09-09 to 2262-04-11)' });
    // Numbers the stored columns cannot hold (UInt32 line numbers, token counts past 2^53) likewise.
    const line = JSON.parse(encodeSpanEnvelope(makeSpan()));
    line.span.code_line_number = 2 ** 32;
    expect(decodeSpanEnvelope(JSON.stringify(line))).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid span: span\.code_line_number: /) });
    const tokens = JSON.parse(encodeSpanEnvelope(makeSpan()));
    tokens.span.output_tokens = 2 ** 60;
    expect(decodeSpanEnvelope(JSON.stringify(tokens))).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid span: span\.output_tokens: /) });
  });

  it('accepts and refuses exactly what the schema does, whatever is wrong with a field', () => {
    // The quick check must never accept what zod refuses, nor change what is read.
    const bases = [
      makeSpan(),
      makeSpan({ cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true, ttft_ms: null, finish_reasons: [], attributes: {}, resource_attributes: {} }),
      makeSpan({ prompt_text: 'Summarise: «ticket»', completion_text: '', code_line_number: 4_294_967_295, input_tokens: 2 ** 53 - 1 }),
      makeSpan({ start_time_ns: EARLIEST_NS, end_time_ns: LATEST_NS, duration_ms: 0 }),
    ];
    const odd: unknown[] = [undefined, null, '', 'x', 0, -1, 1.5, -0.5, 2 ** 32, 2 ** 53, 1e308, true, [], ['x'], {}, { a: 'b' }];
    const special: Record<string, unknown[]> = {
      trace_id: ['0AF7651916CD43DD8448EB211C80319C', '0af7651916cd43dd8448eb211c80319', `${'a'.repeat(32)}\n`],
      span_id: ['00f067aa0ba902b7a', 'zzf067aa0ba902b7'],
      start_time_ns: ['01732280000123456789', '999999999999999999', '9223372036854775808', '1.7e18', ' 1732280000123456789'],
      end_time_ns: ['1732280000123456789x', '18446744073709551616'],
      code_line_number: [4_294_967_295, 4_294_967_296],
      finish_reasons: [['stop', 1], [null], 'stop'],
      attributes: [{ a: 1 }, { a: null }, Object.fromEntries([['__proto__', 'x']]), ['a']],
      resource_attributes: [{ 'service.name': ['x'] }],
    };
    const reference = (text: string) => {
      const result = spanEnvelopeSchema.safeParse(JSON.parse(text));
      return result.success ? { ok: true, value: result.data.span } : { ok: false };
    };
    let accepted = 0;
    let refused = 0;
    const check = (envelope: Record<string, unknown>) => {
      const text = JSON.stringify(envelope);
      const expected = reference(text);
      const decoded = decodeSpanEnvelope(Buffer.from(text));
      expect({ text, ok: decoded.ok }).toEqual({ text, ok: expected.ok });
      if (decoded.ok) {
        expect(decoded.value).toEqual(expected.value);
        accepted += 1;
      } else {
        expect(decoded.error).toMatch(/^invalid span: /);
        refused += 1;
      }
    };
    for (const base of bases) {
      check({ schema_version: 1, span: base });
      check({ schema_version: 1, span: { ...base, extra: 1 } });
      check({ schema_version: 1, span: base, extra: 1 });
      for (const field of Object.keys(spanEnvelopeSchema.shape.span.shape)) {
        for (const value of [...odd, ...(special[field] ?? [])]) check({ schema_version: 1, span: { ...base, [field]: value } });
      }
    }
    // Both kinds were exercised in numbers.
    expect(accepted).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(1_000);
  });
});
