import { describe, expect, it } from 'vitest';
import { decodeProtobufWithGeneratedCode, generatedRequestType } from './protobuf-generated';
import { decodeProtobufTraceRequest } from './protobuf-wire';

/*
 * The wire reader against the official schema's generated decoder, on
 * requests the generated encoder writes: random ones with every value type,
 * nesting, unknown and skipped fields, and every prefix and many corruptions
 * of them. Whatever the generated decoder makes of a body, the wire reader
 * must make the same; and it must never throw.
 */

/** mulberry32: the same requests on every run. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}

type Random = ReturnType<typeof seeded>;

const TEXTS = ['', 'gpt-4o', 'chat gpt-4o', 'gen_ai.usage.input_tokens', 'ünïcödé 🚀 text', 'a'.repeat(64), 'b'.repeat(65), 'x'.repeat(300), 'ana@example.com'];
const INT64S = ['0', '1', '-1', '127', '128', '268435455', '268435456', '4294967295', '4294967296', '9007199254740991', '9007199254740993', '9223372036854775807', '-9223372036854775808', '-4294967296'];
const UINT64S = ['0', '1', '1718035200123456789', '9007199254740992', '18446744073709551615', '4294967296'];

function anyValue(random: Random, depth: number): Record<string, unknown> {
  switch (random.int(depth > 3 ? 5 : 8)) {
    case 0:
      return { stringValue: random.pick(TEXTS) };
    case 1:
      return { boolValue: random.next() < 0.5 };
    case 2:
      return { intValue: random.pick(INT64S) };
    case 3:
      return { doubleValue: random.pick([0, -0.5, 1e300, Number.MIN_VALUE, 3.14159, Number.POSITIVE_INFINITY]) };
    case 4:
      return {};
    case 5:
      return { arrayValue: { values: Array.from({ length: random.int(4) }, () => anyValue(random, depth + 1)) } };
    case 6:
      return { kvlistValue: { values: keyValues(random, depth + 1, 3) } };
    default:
      return { bytesValue: Buffer.from(Array.from({ length: random.int(12) }, () => random.int(256))) };
  }
}

function keyValues(random: Random, depth: number, max: number): Record<string, unknown>[] {
  return Array.from({ length: random.int(max + 1) }, () => (random.next() < 0.05 ? { key: random.pick(TEXTS) } : { key: random.pick(TEXTS), value: anyValue(random, depth) }));
}

function bytes(random: Random, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => random.int(256)));
}

function request(random: Random): Record<string, unknown> {
  return {
    resourceSpans: Array.from({ length: 1 + random.int(2) }, () => ({
      resource: random.next() < 0.8 ? { attributes: keyValues(random, 0, 4), droppedAttributesCount: random.int(3) } : undefined,
      schemaUrl: random.next() < 0.3 ? 'https://opentelemetry.io/schemas/1.26.0' : '',
      scopeSpans: Array.from({ length: random.int(3) }, () => ({
        scope: random.next() < 0.8 ? { name: random.pick(TEXTS), version: random.pick(TEXTS), attributes: keyValues(random, 0, 2), droppedAttributesCount: 1 } : undefined,
        schemaUrl: '',
        spans: Array.from({ length: random.int(4) }, () => ({
          traceId: bytes(random, random.pick([16, 16, 16, 0, 5])),
          spanId: bytes(random, random.pick([8, 8, 8, 0])),
          parentSpanId: random.next() < 0.5 ? bytes(random, 8) : undefined,
          traceState: random.next() < 0.2 ? 'vendor=value' : '',
          flags: random.int(512),
          name: random.pick(TEXTS),
          kind: random.pick([0, 1, 2, 3, 4, 5, -1]),
          startTimeUnixNano: random.pick(UINT64S),
          endTimeUnixNano: random.pick(UINT64S),
          attributes: keyValues(random, 0, 8),
          droppedAttributesCount: random.int(3),
          events: Array.from({ length: random.int(3) }, () => ({ timeUnixNano: random.pick(UINT64S), name: random.pick(TEXTS), attributes: keyValues(random, 0, 3), droppedAttributesCount: random.int(2) })),
          droppedEventsCount: random.int(2),
          links: Array.from({ length: random.int(2) }, () => ({ traceId: bytes(random, 16), spanId: bytes(random, 8), traceState: 'a=b', attributes: keyValues(random, 0, 2), flags: 1 })),
          droppedLinksCount: random.int(2),
          status: random.next() < 0.7 ? { code: random.pick([0, 1, 2]), message: random.pick(TEXTS) } : undefined,
        })),
      })),
    })),
  };
}

function sameAsGenerated(body: Uint8Array): void {
  const wire = decodeProtobufTraceRequest(body);
  const reference = decodeProtobufWithGeneratedCode(body);
  if (reference.ok) expect(wire).toEqual(reference);
  else expect(wire.ok).toBe(false);
}

describe('the protobuf wire reader', () => {
  it('decodes 300 random requests exactly as the generated decoder does', () => {
    const random = seeded(20261123);
    const encoder = generatedRequestType;
    let spans = 0;
    for (let i = 0; i < 300; i++) {
      const body = encoder.encode(request(random)).finish();
      const decoded = decodeProtobufTraceRequest(body);
      expect(decoded).toEqual(decodeProtobufWithGeneratedCode(body));
      if (decoded.ok) for (const resource of decoded.request.resourceSpans) for (const scope of resource.scopeSpans) spans += scope.spans.length;
    }
    // The generator really made spans, not 300 empty requests.
    expect(spans).toBeGreaterThan(300);
  });

  it('agrees with the generated decoder on every prefix of a request, and never throws', () => {
    const random = seeded(7);
    const encoder = generatedRequestType;
    let rejected = 0;
    for (let i = 0; i < 5; i++) {
      const body = encoder.encode(request(random)).finish();
      for (let end = 0; end <= body.length; end++) {
        const prefix = body.subarray(0, end);
        sameAsGenerated(prefix);
        if (!decodeProtobufTraceRequest(prefix).ok) rejected++;
      }
    }
    // Most cuts land inside a field: those must be refused, not half-read.
    expect(rejected).toBeGreaterThan(100);
  });

  it('refuses or reads consistently a request with corrupted bytes, and never throws', () => {
    const random = seeded(99);
    const encoder = generatedRequestType;
    for (let i = 0; i < 400; i++) {
      const body = Buffer.from(encoder.encode(request(random)).finish());
      if (body.length === 0) continue;
      for (let flips = 1 + random.int(3); flips > 0; flips--) body[random.int(body.length)] = random.int(256);
      expect(() => decodeProtobufTraceRequest(body)).not.toThrow();
    }
  });

  it('tells apart 20,000 short texts of one length and one prefix (the decoder remembers short texts)', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `user-${String(i).padStart(5, '0')}`);
    const attributes = ids.map((id, i) => ({ key: ids[(i * 7919) % ids.length], value: { stringValue: id } }));
    const body = generatedRequestType.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ name: 'chat', attributes }] }] }] }).finish();
    for (let round = 0; round < 2; round++) {
      const decoded = decodeProtobufTraceRequest(body);
      const span = decoded.ok ? decoded.request.resourceSpans[0]?.scopeSpans[0]?.spans[0] : undefined;
      expect(span?.attributes.map((a) => a.key)).toEqual(attributes.map((a) => a.key));
      expect(span?.attributes.map((a) => (a.value.type === 'string' ? a.value.value : ''))).toEqual(ids);
    }
  });

  it('skips unknown fields of every wire type, groups included, and names a bad wire type', () => {
    // Field 9 of the request (unknown) as a varint, a fixed64, a length-delimited field, a fixed32 and a group holding a varint.
    const unknown = Buffer.from([0x48, 0x96, 0x01, 0x49, 1, 2, 3, 4, 5, 6, 7, 8, 0x4a, 0x02, 0xaa, 0xbb, 0x4d, 1, 2, 3, 4, 0x4b, 0x08, 0x05, 0x4c]);
    const span = generatedRequestType.encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), name: 'chat' }] }] }] }).finish();
    const body = Buffer.concat([unknown, span, unknown]);
    const decoded = decodeProtobufTraceRequest(body);
    expect(decoded.ok && decoded.request.resourceSpans[0]?.scopeSpans[0]?.spans[0]?.name).toBe('chat');
    expect(decodeProtobufTraceRequest(Buffer.from([0x0e]))).toEqual({ ok: false, error: 'invalid protobuf: invalid wire type 6 at offset 1' });
    expect(decodeProtobufTraceRequest(Buffer.from([0x4b, 0x08, 0x05]))).toEqual({ ok: false, error: 'invalid protobuf: index out of range: 3 + 1 > 3' });
    expect(decodeProtobufTraceRequest(Buffer.from([0x0a, 0x05, 0x01]))).toEqual({ ok: false, error: 'invalid protobuf: index out of range: 2 + 5 > 3' });
  });

  it('lets the last of a repeated singular field win, as the generated decoder does', () => {
    const encoder = generatedRequestType;
    const first = encoder.encode({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'one', version: '1' }, spans: [{ name: 'a', status: { code: 2, message: 'boom' } }] }] }] }).finish();
    // Concatenated protobuf messages merge: the request then holds two resource spans.
    const merged = Buffer.concat([first, encoder.encode({ resourceSpans: [{ scopeSpans: [{ scope: { name: 'two' } }] }] }).finish()]);
    sameAsGenerated(merged);
  });
});
