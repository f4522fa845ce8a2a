import type { OtlpSpan } from '../otlp/types';

export type IdCheck = { ok: true; parentSpanId: string } | { ok: false; problem: string };

/**
 * Trace ids are 16 bytes and span ids 8, neither all zeros (the W3C and OTLP
 * definitions of a valid id). An all-zero parent id is read as "no parent",
 * which is how some SDKs write a root span.
 */
export function checkIds(span: OtlpSpan): IdCheck {
  const traceProblem = idProblem('trace id', span.traceId, 32);
  if (traceProblem) return { ok: false, problem: traceProblem };
  const spanProblem = idProblem('span id', span.spanId, 16);
  if (spanProblem) return { ok: false, problem: spanProblem };
  if (span.parentSpanId === '' || /^0{16}$/.test(span.parentSpanId)) return { ok: true, parentSpanId: '' };
  const parentProblem = idProblem('parent span id', span.parentSpanId, 16);
  if (parentProblem) return { ok: false, problem: parentProblem };
  return { ok: true, parentSpanId: span.parentSpanId };
}

const HEX_ID = { 32: /^[0-9a-f]{32}$/, 16: /^[0-9a-f]{16}$/ };

function idProblem(what: string, id: string, hexDigits: 32 | 16): string | undefined {
  if (!HEX_ID[hexDigits].test(id)) {
    return id === '' ? `${what} is missing` : `${what} ${JSON.stringify(shorten(id))} is not ${hexDigits / 2} bytes of hex`;
  }
  if (/^0+$/.test(id)) return `${what} is all zeros`;
  return undefined;
}

/** A start of 0 means the sender never set it; an end before the start is impossible. */
export function checkTimestamps(span: OtlpSpan): string | undefined {
  if (span.startTimeUnixNano === '0') return 'start time is 0';
  if (isBefore(span.endTimeUnixNano, span.startTimeUnixNano)) {
    return `end time ${span.endTimeUnixNano} is before start time ${span.startTimeUnixNano}`;
  }
  return undefined;
}

/**
 * Compares two unsigned decimal strings. Both decoders write them without
 * leading zeros, so the shorter is the smaller and equal lengths compare as
 * text; anything else is left to BigInt.
 */
function isBefore(a: string, b: string): boolean {
  if (a.charCodeAt(0) === 48 || b.charCodeAt(0) === 48) return BigInt(a) < BigInt(b);
  return a.length !== b.length ? a.length < b.length : a < b;
}

/** Exact difference of the two nanosecond strings, in milliseconds. */
export function durationMs(startNs: string, endNs: string): number {
  return Number(BigInt(endNs) - BigInt(startNs)) / 1e6;
}

export function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
