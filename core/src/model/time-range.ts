/**
 * The times Spanlens stores: from 2001-09-09T01:46:40Z (10^18 ns, the first
 * second written with ten digits, which the DateTime64 text form needs) to
 * 2262-04-11T23:47:16.854775807Z (the last nanosecond DateTime64(9) holds).
 * ClickHouse refuses a row outside this range and with it the whole insert,
 * so anything outside is turned away where it comes in: a span by the
 * collector, feedback by its route, a Kafka message to the dead-letter topic.
 */
export const EARLIEST_NS = '1000000000000000000';
export const LATEST_NS = '9223372036854775807';
export const EARLIEST_MS = 1_000_000_000_000;
export const LATEST_MS = 9_223_372_036_854;

/** Whether unsigned decimal nanoseconds (no leading zeros) fall in the stored range. */
export function nsInStoredRange(ns: string): boolean {
  return !decimalBefore(ns, EARLIEST_NS) && !decimalBefore(LATEST_NS, ns);
}

export function msInStoredRange(ms: number): boolean {
  return ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/** a < b for unsigned decimal strings; with leading zeros BigInt decides. */
export function decimalBefore(a: string, b: string): boolean {
  if (a.charCodeAt(0) === 48 || b.charCodeAt(0) === 48) return BigInt(a) < BigInt(b);
  return a.length !== b.length ? a.length < b.length : a < b;
}
