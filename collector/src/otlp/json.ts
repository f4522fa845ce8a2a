import { parseJsonExact } from './json-text';
import type {
  DecodeTraceResult,
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpStatus,
} from './types';
import { MAX_VALUE_DEPTH } from './types';

/**
 * OTLP/HTTP JSON, as the OTLP specification defines it on top of the protobuf
 * JSON mapping: lowerCamelCase field names (the original snake_case names are
 * accepted too), trace and span ids as hex (not base64), enums as integers
 * (enum names accepted), 64-bit integers as strings or numbers, bytes values
 * as base64. Unknown fields are ignored; `null` means "not set".
 */
export function decodeJsonTraceRequest(body: Buffer): DecodeTraceResult {
  const parsed = parseJsonExact(body.toString('utf8').replace(/^\uFEFF/, ''));
  if (!parsed.ok) return parsed;
  try {
    const root = asObject(parsed.value, 'request body');
    return { ok: true, request: { resourceSpans: list(root, 'resourceSpans', 'resource_spans', 'resourceSpans', resourceSpans) } };
  } catch (err) {
    if (err instanceof JsonShapeError) return { ok: false, error: err.message };
    throw err;
  }
}

class JsonShapeError extends Error {}

type Obj = Record<string, unknown>;

function fail(path: string, expected: string): never {
  throw new JsonShapeError(`${path} must be ${expected}`);
}

function asObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object');
  return value as Obj;
}

/** A field by its JSON name or its proto name; null counts as absent. */
function field(obj: Obj, camel: string, snake: string): unknown {
  const v = obj[camel] ?? obj[snake];
  return v === null ? undefined : v;
}

function list<T>(obj: Obj, camel: string, snake: string, path: string, item: (v: unknown, path: string) => T): T[] {
  const v = field(obj, camel, snake);
  if (v === undefined) return [];
  if (!Array.isArray(v)) fail(path, 'an array');
  return v.map((x, i) => item(x, `${path}[${i}]`));
}

function str(obj: Obj, camel: string, snake: string, path: string): string {
  const v = field(obj, camel, snake);
  if (v === undefined) return '';
  if (typeof v !== 'string') fail(path, 'a string');
  return v;
}

function resourceSpans(value: unknown, path: string): OtlpResourceSpans {
  const o = asObject(value, path);
  const resource = field(o, 'resource', 'resource');
  const resourceAttributes =
    resource === undefined ? [] : list(asObject(resource, `${path}.resource`), 'attributes', 'attributes', `${path}.resource.attributes`, keyValue);
  return { resourceAttributes, scopeSpans: list(o, 'scopeSpans', 'scope_spans', `${path}.scopeSpans`, scopeSpans) };
}

function scopeSpans(value: unknown, path: string): OtlpScopeSpans {
  const o = asObject(value, path);
  const scopeValue = field(o, 'scope', 'scope');
  const scope = scopeValue === undefined ? {} : asObject(scopeValue, `${path}.scope`);
  return {
    scopeName: str(scope, 'name', 'name', `${path}.scope.name`),
    scopeVersion: str(scope, 'version', 'version', `${path}.scope.version`),
    spans: list(o, 'spans', 'spans', `${path}.spans`, span),
  };
}

function span(value: unknown, path: string): OtlpSpan {
  const o = asObject(value, path);
  return {
    traceId: hexId(o, 'traceId', 'trace_id', `${path}.traceId`),
    spanId: hexId(o, 'spanId', 'span_id', `${path}.spanId`),
    parentSpanId: hexId(o, 'parentSpanId', 'parent_span_id', `${path}.parentSpanId`),
    name: str(o, 'name', 'name', `${path}.name`),
    kind: enumValue(o, 'kind', 'kind', `${path}.kind`, SPAN_KINDS),
    startTimeUnixNano: uint64(field(o, 'startTimeUnixNano', 'start_time_unix_nano'), `${path}.startTimeUnixNano`),
    endTimeUnixNano: uint64(field(o, 'endTimeUnixNano', 'end_time_unix_nano'), `${path}.endTimeUnixNano`),
    attributes: list(o, 'attributes', 'attributes', `${path}.attributes`, keyValue),
    status: status(field(o, 'status', 'status'), `${path}.status`),
    events: list(o, 'events', 'events', `${path}.events`, spanEvent),
  };
}

/**
 * Ids stay as received (lowercased when they are hex): whether an id is valid
 * is decided per span by the mapper, so one bad id rejects one span.
 */
function hexId(o: Obj, camel: string, snake: string, path: string): string {
  const v = str(o, camel, snake, path);
  return /^[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
}

const SPAN_KINDS = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT', 'SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER'];
const STATUS_CODES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];

function enumValue(o: Obj, camel: string, snake: string, path: string, names: string[]): number {
  const v = field(o, camel, snake);
  if (v === undefined) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string') {
    if (/^-?\d{1,10}$/.test(v)) return Number(v);
    const index = names.indexOf(v);
    if (index >= 0) return index;
  }
  fail(path, 'an enum integer');
}

function status(value: unknown, path: string): OtlpStatus {
  if (value === undefined) return { code: 0, message: '' };
  const o = asObject(value, path);
  return { code: enumValue(o, 'code', 'code', `${path}.code`, STATUS_CODES), message: str(o, 'message', 'message', `${path}.message`) };
}

function spanEvent(value: unknown, path: string): OtlpSpanEvent {
  const o = asObject(value, path);
  return {
    name: str(o, 'name', 'name', `${path}.name`),
    timeUnixNano: uint64(field(o, 'timeUnixNano', 'time_unix_nano'), `${path}.timeUnixNano`),
    attributes: list(o, 'attributes', 'attributes', `${path}.attributes`, keyValue),
  };
}

function keyValue(value: unknown, path: string, depth = 0): OtlpKeyValue {
  const o = asObject(value, path);
  const v = field(o, 'value', 'value');
  return { key: str(o, 'key', 'key', `${path}.key`), value: v === undefined ? { type: 'empty' } : anyValue(v, `${path}.value`, depth) };
}

function anyValue(value: unknown, path: string, depth: number): OtlpAnyValue {
  if (depth > MAX_VALUE_DEPTH) fail(path, `nested at most ${MAX_VALUE_DEPTH} levels deep`);
  const o = asObject(value, path);
  let v: unknown;
  if ((v = field(o, 'stringValue', 'string_value')) !== undefined) {
    if (typeof v !== 'string') fail(`${path}.stringValue`, 'a string');
    return { type: 'string', value: v };
  }
  if ((v = field(o, 'boolValue', 'bool_value')) !== undefined) {
    if (typeof v !== 'boolean') fail(`${path}.boolValue`, 'a boolean');
    return { type: 'bool', value: v };
  }
  if ((v = field(o, 'intValue', 'int_value')) !== undefined) return { type: 'int', value: int64(v, `${path}.intValue`) };
  if ((v = field(o, 'doubleValue', 'double_value')) !== undefined) return { type: 'double', value: double(v, `${path}.doubleValue`) };
  if ((v = field(o, 'bytesValue', 'bytes_value')) !== undefined) return { type: 'bytes', value: base64(v, `${path}.bytesValue`) };
  if ((v = field(o, 'arrayValue', 'array_value')) !== undefined) {
    const values = list(asObject(v, `${path}.arrayValue`), 'values', 'values', `${path}.arrayValue.values`, (x, p) => anyValue(x, p, depth + 1));
    return { type: 'array', values };
  }
  if ((v = field(o, 'kvlistValue', 'kvlist_value')) !== undefined) {
    const values = list(asObject(v, `${path}.kvlistValue`), 'values', 'values', `${path}.kvlistValue.values`, (x, p) => keyValue(x, p, depth + 1));
    return { type: 'kvlist', values };
  }
  return { type: 'empty' };
}

const UINT64_MAX = (1n << 64n) - 1n;
const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** Unsigned 64-bit nanoseconds, as a decimal string without leading zeros. */
function uint64(v: unknown, path: string): string {
  if (v === undefined) return '0';
  const n = integerOf(v);
  if (n === null || n < 0n || n > UINT64_MAX) fail(path, 'an unsigned 64-bit integer (string or number)');
  return n.toString();
}

function int64(v: unknown, path: string): string {
  const n = integerOf(v);
  if (n === null || n < INT64_MIN || n > INT64_MAX) fail(path, 'a 64-bit integer (string or number)');
  return n.toString();
}

function integerOf(v: unknown): bigint | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : null;
  if (typeof v === 'string' && /^-?\d{1,30}$/.test(v)) return BigInt(v);
  return null;
}

function double(v: unknown, path: string): number {
  if (typeof v === 'number') return v;
  // The protobuf JSON mapping writes non-finite doubles, and allows any double, as strings.
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    if (!Number.isNaN(n) || v === 'NaN') return n;
  }
  fail(path, 'a number');
}

function base64(v: unknown, path: string): string {
  // Both the standard and the URL-safe alphabet are valid in the protobuf JSON mapping.
  if (typeof v !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) fail(path, 'a base64 string');
  return Buffer.from(v, 'base64').toString('base64');
}
