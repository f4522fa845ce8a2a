import { createRequire } from 'node:module';

/** The plain-object shapes protobufjs accepts for the messages the bench writes. */
export interface ProtoAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number;
  doubleValue?: number;
  arrayValue?: { values: ProtoAnyValue[] };
}

export interface ProtoKeyValue {
  key: string;
  value: ProtoAnyValue;
}

/** fixed64 as protobufjs takes it without the `long` package: two unsigned 32-bit halves. */
export interface ProtoLong {
  low: number;
  high: number;
}

export interface ProtoSpan {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId?: Buffer;
  name: string;
  kind: number;
  startTimeUnixNano: ProtoLong;
  endTimeUnixNano: ProtoLong;
  attributes: ProtoKeyValue[];
  status: { code: number; message?: string };
}

export interface ProtoTraceRequest {
  resourceSpans: {
    resource: { attributes: ProtoKeyValue[] };
    scopeSpans: { scope: { name: string; version: string }; spans: ProtoSpan[] }[];
  }[];
}

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(body: Uint8Array): unknown;
}

const require = createRequire(import.meta.url);
// The protobufjs code generated from the official opentelemetry-proto files,
// the same encoder the OpenTelemetry JS exporters use.
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: {
    proto: {
      collector: {
        trace: {
          v1: {
            ExportTraceServiceRequest: Codec<ProtoTraceRequest>;
            ExportTraceServiceResponse: Codec<object>;
          };
        };
      };
    };
  };
};
const traceV1 = root.opentelemetry.proto.collector.trace.v1;

export function encodeTraceRequest(request: ProtoTraceRequest): Buffer {
  const bytes = traceV1.ExportTraceServiceRequest.encode(request).finish();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** `partial_success.rejected_spans` of a 200 answer; 0 when the body is empty. */
export function rejectedSpansOf(body: Buffer): number {
  if (body.length === 0) return 0;
  const decoded = traceV1.ExportTraceServiceResponse.decode(body) as { partialSuccess?: { rejectedSpans?: unknown } };
  const rejected = decoded.partialSuccess?.rejectedSpans;
  return rejected === undefined || rejected === null ? 0 : Number(rejected);
}

export function toProtoLong(value: bigint): ProtoLong {
  return { low: Number(value & 0xffffffffn), high: Number((value >> 32n) & 0xffffffffn) };
}

export const attr = {
  str: (key: string, value: string): ProtoKeyValue => ({ key, value: { stringValue: value } }),
  int: (key: string, value: number): ProtoKeyValue => ({ key, value: { intValue: value } }),
  double: (key: string, value: number): ProtoKeyValue => ({ key, value: { doubleValue: value } }),
  bool: (key: string, value: boolean): ProtoKeyValue => ({ key, value: { boolValue: value } }),
  strings: (key: string, values: string[]): ProtoKeyValue => ({
    key,
    value: { arrayValue: { values: values.map((v) => ({ stringValue: v })) } },
  }),
};
