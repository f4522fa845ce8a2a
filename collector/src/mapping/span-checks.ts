import { decimalBefore, EARLIEST_NS, LATEST_NS, nsInStoredRange } from '@spanlens/core';
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

/**
 * A start of 0 means the sender never set it; an end before the start is
 * impossible. Times are kept from 2001-09-09T01:46:40Z (10^18 ns, the first
 * second with ten digits) to 2262-04-11T23:47:16.854775807Z (the last
 * nanosecond DateTime64(9) holds): ClickHouse refuses a row outside that, and
 * with it the whole batch the row is in. An earlier time is a clock or a unit
 * mistake (milliseconds or microseconds sent as nanoseconds), and is named as
 * such so that the sender can find it.
 */
export function checkTimestamps(span: OtlpSpan): string | undefined {
  if (span.startTimeUnixNano === '0') return 'start time is 0';
  const outside = timeOutOfRange('start time', span.startTimeUnixNano) ?? timeOutOfRange('end time', span.endTimeUnixNano);
  if (outside) return outside;
  if (decimalBefore(span.endTimeUnixNano, span.startTimeUnixNano)) {
    return `end time ${span.endTimeUnixNano} is before start time ${span.startTimeUnixNano}`;
  }
  return undefined;
}

function timeOutOfRange(what: string, ns: string): string | undefined {
  if (nsInStoredRange(ns)) return undefined;
  if (decimalBefore(ns, EARLIEST_NS)) return `${what} ${ns} ns is before 2001-09-09 (${EARLIEST_NS}): not nanoseconds since the Unix epoch?`;
  return `${what} ${ns} ns is after 2262-04-11, the last time stored (${LATEST_NS})`;
}

/** Exact difference of the two nanosecond strings, in milliseconds. */
export function durationMs(startNs: string, endNs: string): number {
  return Number(BigInt(endNs) - BigInt(startNs)) / 1e6;
}

export function shorten(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
