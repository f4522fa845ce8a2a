import { createRequire } from 'node:module';
import type {
  DecodeTraceResult,
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpSpanEvent,
} from './types';
import { MAX_VALUE_DEPTH } from './types';

/*
 * The protobuf schema is the official opentelemetry-proto, as compiled to
 * protobufjs static code by @opentelemetry/otlp-transformer (the library the
 * OpenTelemetry JS exporters themselves encode with). Its typings only say
 * `$protobuf.Root`, so the decoded shapes below describe what the generated
 * `decode` functions return: unset fields are null (prototype defaults), and
 * 64-bit integers are Long objects (or plain numbers when `long` is absent).
 */
const requireCommonJs = createRequire(import.meta.url);
const root = requireCommonJs('@opentelemetry/otlp-transformer/build/src/generated/root.js') as GeneratedRoot;
const ExportTraceServiceRequest = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/** The official schema's generated `ExportTraceServiceRequest` codec: the reference decoder, and the tests' encoder. */
export const generatedRequestType: GeneratedRequestType = ExportTraceServiceRequest;

interface GeneratedRequestType {
  decode(bytes: Uint8Array): PbRequest;
  encode(message: unknown): { finish(): Uint8Array };
}

interface GeneratedRoot {
  opentelemetry: {
    proto: { collector: { trace: { v1: { ExportTraceServiceRequest: GeneratedRequestType } } } };
  };
}

type Nullable<T> = T | null | undefined;
interface LongLike {
  low: number;
  high: number;
}
type PbInt64 = LongLike | number;

interface PbAnyValue {
  stringValue?: Nullable<string>;
  boolValue?: Nullable<boolean>;
  intValue?: Nullable<PbInt64>;
  doubleValue?: Nullable<number>;
  arrayValue?: Nullable<{ values?: Nullable<PbAnyValue[]> }>;
  kvlistValue?: Nullable<{ values?: Nullable<PbKeyValue[]> }>;
  bytesValue?: Nullable<Uint8Array>;
}
interface PbKeyValue {
  key?: Nullable<string>;
  value?: Nullable<PbAnyValue>;
}
interface PbEvent {
  timeUnixNano?: Nullable<PbInt64>;
  name?: Nullable<string>;
  attributes?: Nullable<PbKeyValue[]>;
}
interface PbSpan {
  traceId?: Nullable<Uint8Array>;
  spanId?: Nullable<Uint8Array>;
  parentSpanId?: Nullable<Uint8Array>;
  name?: Nullable<string>;
  kind?: Nullable<number>;
  startTimeUnixNano?: Nullable<PbInt64>;
  endTimeUnixNano?: Nullable<PbInt64>;
  attributes?: Nullable<PbKeyValue[]>;
  events?: Nullable<PbEvent[]>;
  status?: Nullable<{ code?: Nullable<number>; message?: Nullable<string> }>;
}
interface PbRequest {
  resourceSpans?: Nullable<
    {
      resource?: Nullable<{ attributes?: Nullable<PbKeyValue[]> }>;
      scopeSpans?: Nullable<{ scope?: Nullable<{ name?: Nullable<string>; version?: Nullable<string> }>; spans?: Nullable<PbSpan[]> }[]>;
    }[]
  >;
}

class ProtobufShapeError extends Error {}

/**
 * OTLP/protobuf decoding through the official schema's generated protobufjs
 * code: the reference the wire reader (./protobuf-wire, what the receiver
 * uses) is tested and benchmarked against.
 */
export function decodeProtobufWithGeneratedCode(body: Uint8Array): DecodeTraceResult {
  let message: PbRequest;
  try {
    message = ExportTraceServiceRequest.decode(body);
  } catch (err) {
    return { ok: false, error: `invalid protobuf: ${err instanceof Error ? err.message : String(err)}` };
  }
  try {
    return { ok: true, request: { resourceSpans: (message.resourceSpans ?? []).map(resourceSpans) } };
  } catch (err) {
    if (err instanceof ProtobufShapeError) return { ok: false, error: `invalid protobuf: ${err.message}` };
    throw err;
  }
}

function resourceSpans(rs: NonNullable<PbRequest['resourceSpans']>[number]): OtlpResourceSpans {
  return {
    resourceAttributes: keyValues(rs.resource?.attributes, 0),
    scopeSpans: (rs.scopeSpans ?? []).map(
      (ss): OtlpScopeSpans => ({
        scopeName: ss.scope?.name ?? '',
        scopeVersion: ss.scope?.version ?? '',
        spans: (ss.spans ?? []).map(span),
      }),
    ),
  };
}

function span(s: PbSpan): OtlpSpan {
  return {
    traceId: hex(s.traceId),
    spanId: hex(s.spanId),
    parentSpanId: hex(s.parentSpanId),
    name: s.name ?? '',
    kind: s.kind ?? 0,
    startTimeUnixNano: int64ToDecimal(s.startTimeUnixNano, false),
    endTimeUnixNano: int64ToDecimal(s.endTimeUnixNano, false),
    attributes: keyValues(s.attributes, 0),
    status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
    events: (s.events ?? []).map(
      (e: PbEvent): OtlpSpanEvent => ({
        name: e.name ?? '',
        timeUnixNano: int64ToDecimal(e.timeUnixNano, false),
        attributes: keyValues(e.attributes, 0),
      }),
    ),
  };
}

function keyValues(kvs: Nullable<PbKeyValue[]>, depth: number): OtlpKeyValue[] {
  return (kvs ?? []).map((kv) => ({ key: kv.key ?? '', value: kv.value ? anyValue(kv.value, depth) : { type: 'empty' } }));
}

function anyValue(v: PbAnyValue, depth: number): OtlpAnyValue {
  if (depth > MAX_VALUE_DEPTH) throw new ProtobufShapeError(`attribute value nested more than ${MAX_VALUE_DEPTH} levels deep`);
  if (v.stringValue != null) return { type: 'string', value: v.stringValue };
  if (v.boolValue != null) return { type: 'bool', value: v.boolValue };
  if (v.intValue != null) return { type: 'int', value: int64ToDecimal(v.intValue, true) };
  if (v.doubleValue != null) return { type: 'double', value: v.doubleValue };
  if (v.arrayValue != null) return { type: 'array', values: (v.arrayValue.values ?? []).map((x) => anyValue(x, depth + 1)) };
  if (v.kvlistValue != null) return { type: 'kvlist', values: keyValues(v.kvlistValue.values, depth + 1) };
  if (v.bytesValue != null) return { type: 'bytes', value: toBuffer(v.bytesValue).toString('base64') };
  return { type: 'empty' };
}

/**
 * Exact decimal text of a 64-bit integer. Long keeps the two 32-bit halves;
 * rebuilding the value with BigInt avoids the rounding that `toNumber()` does
 * above 2^53 (every nanosecond timestamp after 1970-04-15 is above it).
 */
export function int64ToDecimal(v: Nullable<PbInt64>, signed: boolean): string {
  if (v == null) return '0';
  if (typeof v === 'number') return BigInt(Math.trunc(v)).toString();
  const bits = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return (signed ? BigInt.asIntN(64, bits) : bits).toString();
}

function hex(bytes: Nullable<Uint8Array>): string {
  return bytes ? toBuffer(bytes).toString('hex') : '';
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
