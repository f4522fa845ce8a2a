import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { anyValueToString } from './any-value';
import { decodeTraceRequest } from './decode';
import { generatedRequestType } from './protobuf-generated';
import type { OtlpSpan, OtlpTraceRequest } from './types';

/*
 * Bodies are encoded by the OpenTelemetry JS exporters' own serializers (the
 * code that turns SDK spans into OTLP), or by the generated protobuf encoder
 * for values an SDK cannot produce, never by the code under test.
 */

type SerializerInput = Parameters<typeof ProtobufTraceSerializer.serializeRequest>[0];

/** The parts of an SDK ReadableSpan that the OTLP serializers read. */
function sdkSpan(attributes: Record<string, unknown>) {
  return {
    name: 'chat gpt-4o',
    kind: 2, // SpanKind.CLIENT in the API, which OTLP numbers 3
    spanContext: () => ({ traceId: '4BF92F3577B34DA6A3CE929D0E0E4736'.toLowerCase(), spanId: '00f067aa0ba902b7', traceFlags: 1 }),
    parentSpanId: 'b7ad6b7169203331',
    startTime: [1718035200, 123456789],
    endTime: [1718035201, 456789012],
    duration: [1, 333332223],
    ended: true,
    status: { code: 2, message: 'rate limited' },
    attributes,
    links: [],
    events: [{ name: 'ai.stream.firstChunk', time: [1718035200, 523456789], attributes: { 'ai.response.msToFirstChunk': 400 } }],
    resource: { attributes: { 'service.name': 'support-api' } },
    instrumentationLibrary: { name: 'test-scope', version: '1.2.3' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  };
}

const commonAttributes = {
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.usage.input_tokens': 1200,
  'gen_ai.request.temperature': 0.2,
  'gen_ai.request.stream': true,
  'gen_ai.response.finish_reasons': ['stop', 'length'],
};

function encodeProtobuf(attributes: Record<string, unknown>): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest([sdkSpan(attributes)] as unknown as SerializerInput) ?? new Uint8Array());
}

function decodeOk(body: Buffer, type: 'protobuf' | 'json'): OtlpTraceRequest {
  const decoded = decodeTraceRequest(body, type);
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.request;
}

function onlySpan(request: OtlpTraceRequest): OtlpSpan {
  const span = request.resourceSpans[0]?.scopeSpans[0]?.spans[0];
  if (!span) throw new Error('no span');
  return span;
}

describe('protobuf', () => {
  it('decodes a request serialized by the OpenTelemetry JS exporter', () => {
    const request = decodeOk(encodeProtobuf({ ...commonAttributes, 'blob': new Uint8Array([1, 2, 3]) }), 'protobuf');
    expect(request.resourceSpans[0]?.resourceAttributes).toEqual([{ key: 'service.name', value: { type: 'string', value: 'support-api' } }]);
    expect(request.resourceSpans[0]?.scopeSpans[0]).toMatchObject({ scopeName: 'test-scope', scopeVersion: '1.2.3' });
    expect(onlySpan(request)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      parentSpanId: 'b7ad6b7169203331',
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: '1718035200123456789',
      endTimeUnixNano: '1718035201456789012',
      attributes: [
        { key: 'gen_ai.request.model', value: { type: 'string', value: 'gpt-4o' } },
        { key: 'gen_ai.usage.input_tokens', value: { type: 'int', value: '1200' } },
        { key: 'gen_ai.request.temperature', value: { type: 'double', value: 0.2 } },
        { key: 'gen_ai.request.stream', value: { type: 'bool', value: true } },
        {
          key: 'gen_ai.response.finish_reasons',
          value: { type: 'array', values: [{ type: 'string', value: 'stop' }, { type: 'string', value: 'length' }] },
        },
        { key: 'blob', value: { type: 'bytes', value: 'AQID' } },
      ],
      status: { code: 2, message: 'rate limited' },
      events: [
        {
          name: 'ai.stream.firstChunk',
          timeUnixNano: '1718035200523456789',
          attributes: [{ key: 'ai.response.msToFirstChunk', value: { type: 'int', value: '400' } }],
        },
      ],
    });
  });

  it('keeps 64-bit integers exact, including the largest timestamp and the smallest int', () => {
    const requestType = generatedRequestType;
    const body = requestType
      .encode({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex'),
                    spanId: Buffer.from('00f067aa0ba902b7', 'hex'),
                    startTimeUnixNano: '1718035200123456789',
                    endTimeUnixNano: '18446744073709551615',
                    attributes: [
                      { key: 'big', value: { intValue: '9007199254740993' } },
                      { key: 'min', value: { intValue: '-9223372036854775808' } },
                      { key: 'nested', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: '9007199254740993' } }] } } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      })
      .finish();
    const span = onlySpan(decodeOk(Buffer.from(body), 'protobuf'));
    expect(span.startTimeUnixNano).toBe('1718035200123456789');
    expect(span.endTimeUnixNano).toBe('18446744073709551615');
    expect(span.attributes.map((a) => anyValueToString(a.value))).toEqual(['9007199254740993', '-9223372036854775808', '{"n":9007199254740993}']);
    expect(span.parentSpanId).toBe('');
  });

  it('keeps every integer width exact, and reads past the fields it does not keep (links, trace state, scope attributes)', () => {
    const ints = ['0', '268435455', '268435456', '4294967296', '9007199254740991', '9007199254740993', '9223372036854775807', '-1', '-9223372036854775808'];
    const body = generatedRequestType
      .encode({
        resourceSpans: [
          {
            schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }], droppedAttributesCount: 1 },
            scopeSpans: [
              {
                scope: { name: 'scope', version: '1', attributes: [{ key: 'scope.attr', value: { stringValue: 'x' } }], droppedAttributesCount: 2 },
                schemaUrl: 'https://opentelemetry.io/schemas/1.30.0',
                spans: [
                  {
                    traceId: Buffer.from('4bf92f3577b34da6a3ce929d0e0e4736', 'hex'),
                    spanId: Buffer.from('00f067aa0ba902b7', 'hex'),
                    traceState: 'vendor=1',
                    name: 'chat',
                    startTimeUnixNano: '1718035200123456789',
                    endTimeUnixNano: '1718035201123456789',
                    attributes: ints.map((value, i) => ({ key: `i${i}`, value: { intValue: value } })),
                    droppedAttributesCount: 3,
                    links: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), traceState: 'a=b', attributes: [{ key: 'link.attr', value: { boolValue: true } }] }],
                    droppedLinksCount: 4,
                    status: { code: 1 },
                  },
                ],
              },
            ],
          },
        ],
      })
      .finish();
    const request = decodeOk(Buffer.from(body), 'protobuf');
    expect(request.resourceSpans[0]?.resourceAttributes).toEqual([{ key: 'service.name', value: { type: 'string', value: 'svc' } }]);
    expect(request.resourceSpans[0]?.scopeSpans[0]).toMatchObject({ scopeName: 'scope', scopeVersion: '1' });
    const span = onlySpan(request);
    expect(span.attributes.map((a) => a.value)).toEqual(ints.map((value) => ({ type: 'int', value })));
    expect(span).toMatchObject({ name: 'chat', status: { code: 1, message: '' }, endTimeUnixNano: '1718035201123456789', events: [] });
  });

  it('rejects an attribute value nested deeper than the limit', () => {
    let value: Record<string, unknown> = { stringValue: 'bottom' };
    for (let i = 0; i < 70; i++) value = { arrayValue: { values: [value] } };
    const body = generatedRequestType
      .encode({ resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 2), attributes: [{ key: 'deep', value }] }] }] }] })
      .finish();
    expect(decodeTraceRequest(Buffer.from(body), 'protobuf')).toEqual({ ok: false, error: 'invalid protobuf: attribute value nested more than 64 levels deep' });
  });

  it('decodes an empty body as a request with no spans', () => {
    expect(decodeOk(Buffer.alloc(0), 'protobuf')).toEqual({ resourceSpans: [] });
  });

  it('rejects a truncated body with the reader error', () => {
    const body = encodeProtobuf(commonAttributes);
    const decoded = decodeTraceRequest(body.subarray(0, body.length - 10), 'protobuf');
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toMatch(/^invalid protobuf: index out of range: \d+ \+ \d+ > \d+$/);
  });

  it('rejects bytes that are not protobuf', () => {
    const decoded = decodeTraceRequest(Buffer.from('{"resourceSpans":[]}'), 'protobuf');
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toMatch(/^invalid protobuf: /);
  });
});

describe('JSON', () => {
  it('decodes what the OpenTelemetry JS JSON exporter sends to the same request as its protobuf', () => {
    const span = sdkSpan(commonAttributes) as unknown as SerializerInput[number];
    const json = Buffer.from(JsonTraceSerializer.serializeRequest([span]) ?? new Uint8Array());
    const protobuf = Buffer.from(ProtobufTraceSerializer.serializeRequest([span]) ?? new Uint8Array());
    expect(decodeOk(json, 'json')).toEqual(decodeOk(protobuf, 'protobuf'));
  });

  it('keeps int64 values exact whether sent as strings or as bare numbers', () => {
    const text = `{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00f067aa0ba902b7",
      "startTimeUnixNano":1718035200123456789,"endTimeUnixNano":"1718035201456789012",
      "attributes":[{"key":"s","value":{"intValue":"9007199254740993"}},{"key":"n","value":{"intValue":9007199254740993}},
        {"key":"text","value":{"stringValue":"contains 12345678901234567890 in a string"}}]}]}]}]}`;
    const span = onlySpan(decodeOk(Buffer.from(text), 'json'));
    expect(span.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(span.startTimeUnixNano).toBe('1718035200123456789');
    expect(span.attributes.map((a) => a.value)).toEqual([
      { type: 'int', value: '9007199254740993' },
      { type: 'int', value: '9007199254740993' },
      { type: 'string', value: 'contains 12345678901234567890 in a string' },
    ]);
  });

  it('accepts proto field names, enum names, base64 bytes, non-finite doubles and nested values; ignores unknown fields', () => {
    const body = {
      resource_spans: [
        {
          resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }], dropped_attributes_count: 0 },
          scope_spans: [
            {
              scope: { name: 'scope' },
              spans: [
                {
                  trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
                  span_id: '00f067aa0ba902b7',
                  kind: 'SPAN_KIND_CLIENT',
                  start_time_unix_nano: '1',
                  end_time_unix_nano: '2',
                  status: { code: 'STATUS_CODE_ERROR', message: 'boom' },
                  somethingNew: { ignored: true },
                  attributes: [
                    { key: 'b', value: { bytes_value: 'AQID' } },
                    { key: 'nan', value: { double_value: 'NaN' } },
                    { key: 'list', value: { array_value: { values: [{ int_value: 1 }, { kvlist_value: { values: [{ key: 'k', value: { bool_value: false } }] } }] } } },
                    { key: 'none', value: {} },
                  ],
                },
              ],
            },
          ],
        },
      ],
    };
    const request = decodeOk(Buffer.from(JSON.stringify(body)), 'json');
    const span = onlySpan(request);
    expect(span).toMatchObject({ kind: 3, status: { code: 2, message: 'boom' }, startTimeUnixNano: '1', endTimeUnixNano: '2' });
    expect(span.attributes.map((a) => anyValueToString(a.value))).toEqual(['AQID', 'NaN', '[1,{"k":false}]', '']);
    expect(request.resourceSpans[0]?.resourceAttributes[0]?.value).toEqual({ type: 'string', value: 'svc' });
  });

  it.each([
    ['invalid JSON', '{"resourceSpans": [', /^invalid JSON: /],
    ['a body that is not an object', '[1,2]', /^request body must be an object$/],
    ['resourceSpans that is not an array', '{"resourceSpans": {"a": 1}}', /^resourceSpans must be an array$/],
    ['a bad intValue', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"attributes":[{"key":"k","value":{"intValue":"1.5"}}]}]}]}]}', /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value\.intValue must be a 64-bit integer/],
    ['a negative timestamp', '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"-1"}]}]}]}', /startTimeUnixNano must be an unsigned 64-bit integer/],
  ])('rejects %s with a message that says where', (_label, text, message) => {
    const decoded = decodeTraceRequest(Buffer.from(text), 'json');
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.error).toMatch(message);
  });

  it.each([
    ['{"user": "alice@example.com" }}', 'invalid JSON: Unexpected non-whitespace character after JSON at position 30'],
    ['{"user": alice@example.com}', "invalid JSON: Unexpected token 'a'"],
    ['{"padding": "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "user": alice@example.com}', "invalid JSON: Unexpected token 'a'"],
  ])('does not quote the body in a JSON syntax error (%s)', (text, error) => {
    expect(decodeTraceRequest(Buffer.from(text), 'json')).toEqual({ ok: false, error });
  });

  it('keeps an id that is not hex as sent, for the mapper to reject that one span', () => {
    const text = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"S/base64+id==","spanId":"00f067aa0ba902b7"}]}]}]}';
    expect(onlySpan(decodeOk(Buffer.from(text), 'json')).traceId).toBe('S/base64+id==');
  });
});
