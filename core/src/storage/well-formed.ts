/**
 * ClickHouse refuses a JSON row that holds a lone UTF-16 surrogate (`"\ud800"`:
 * "Cannot parse escape sequence: missing second part of surrogate pair"), and
 * with it the whole insert. JSON.parse lets such strings through, so one
 * OTLP/JSON request or feedback comment carrying one would fail every batch it
 * landed in, on every retry, taking the other requests of the batch (or, in
 * the distributed mode, a whole partition) down with it. Each lone surrogate
 * becomes U+FFFD instead, which is what invalid UTF-8 becomes when a protobuf
 * body is decoded.
 */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/** JSON text of a row with every string in it, object keys included, well formed. */
export function wellFormedJson(row: unknown): string {
  const json = JSON.stringify(row);
  // JSON.stringify writes a lone surrogate, and nothing else, as a `\udXXX` escape; most rows have none.
  if (!json.includes('\\ud')) return json;
  return JSON.stringify(row, (_key, value: unknown) => {
    if (typeof value === 'string') return wellFormed(value);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [wellFormed(key), inner]));
    }
    return value;
  });
}
