/**
 * Report money in whole nanodollars (BigInt), the precision the costs API
 * rounds to, so that sums and differences such as a margin are exact and a
 * total equals the sum of the figures printed above it.
 */
export type Nano = bigint;

/** Dollars (already rounded to a nanodollar, or a float such as a prorated price) → nanodollars. */
export function usdToNano(usd: number): Nano {
  return BigInt(Math.round(usd * 1e9));
}

/** Nanodollars → dollars, the double nearest the decimal. */
export function nanoToUsd(nano: Nano): number {
  return Number(nano) / 1e9;
}

/** Picodollars (exact ClickHouse sums) → nanodollars, rounded half away from zero. */
export function picoToNano(pico: bigint): Nano {
  return pico < 0n ? -((-pico + 500n) / 1000n) : (pico + 500n) / 1000n;
}

/** `part / whole`, or null when the whole is zero (a share of nothing is not 0 %). */
export function shareOf(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

/** `(current − previous) / previous`, from exact amounts, or null when there was nothing before. */
export function changeRatio(current: Nano, previous: Nano): number | null {
  return previous === 0n ? null : Number(current - previous) / Number(previous);
}
