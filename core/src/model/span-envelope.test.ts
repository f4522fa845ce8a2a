import { describe, expect, it } from 'vitest';
import { makeSpan } from '../storage/test-spans';
import { decodeSpanEnvelope, encodeSpanEnvelope } from './span-envelope';

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
});
