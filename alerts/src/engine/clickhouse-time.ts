/** Text for a DateTime64(3, 'UTC') value or parameter: "YYYY-MM-DD hh:mm:ss.sss". */
export function dateTime64Text(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23).replace('T', ' ');
}

export function nullableDateTime64Text(epochMs: number | null): string | null {
  return epochMs === null ? null : dateTime64Text(epochMs);
}

/** A 64-bit integer as JSONEachRow returns it (a quoted string by default), or null. */
export function nullableNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
