/**
 * The decoded form of an OTLP `ExportTraceServiceRequest`, independent of the
 * wire encoding it arrived in. Protobuf and JSON bodies both decode to this
 * shape, so the attribute mapper never sees protobufjs objects or raw JSON.
 *
 * Ids are lowercase hex exactly as received (they are validated per span by the
 * mapper, so one bad id rejects one span, not the request). Timestamps are
 * unsigned 64-bit nanoseconds as decimal strings, because a JavaScript number
 * cannot hold them exactly.
 */

/** An attribute value with its OTLP type kept. */
export type OtlpAnyValue =
  | { type: 'string'; value: string }
  | { type: 'bool'; value: boolean }
  /** int64 as a decimal string, so values beyond 2^53 stay exact. */
  | { type: 'int'; value: string }
  | { type: 'double'; value: number }
  /** Raw bytes, base64-encoded. */
  | { type: 'bytes'; value: string }
  | { type: 'array'; values: OtlpAnyValue[] }
  | { type: 'kvlist'; values: OtlpKeyValue[] }
  /** An AnyValue with no field set; OTLP allows it and it means "empty". */
  | { type: 'empty' };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpanEvent {
  name: string;
  timeUnixNano: string;
  attributes: OtlpKeyValue[];
}

/** OTLP `Status.StatusCode`: 0 unset, 1 ok, 2 error. */
export interface OtlpStatus {
  code: number;
  message: string;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** Empty when the span is a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP `SpanKind`: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  status: OtlpStatus;
  events: OtlpSpanEvent[];
}

export interface OtlpScopeSpans {
  scopeName: string;
  scopeVersion: string;
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resourceAttributes: OtlpKeyValue[];
  scopeSpans: OtlpScopeSpans[];
}

export interface OtlpTraceRequest {
  resourceSpans: OtlpResourceSpans[];
}

export type DecodeTraceResult =
  | { ok: true; request: OtlpTraceRequest }
  | { ok: false; error: string };

/**
 * Attribute values nest (arrays of kvlists of arrays…). Real instrumentations
 * nest a few levels at most; the limit turns a hostile, deeply nested body into
 * a clear 400 instead of a stack overflow.
 */
export const MAX_VALUE_DEPTH = 64;
