/** Nearest-rank percentile (p in 0..1) of unsorted values; NaN when empty. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export function sum(values: readonly number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Totals of `amounts` per `bucketMs` bucket of `times` inside [start, end); partial last bucket dropped. */
export function bucketRates(times: readonly number[], amounts: readonly number[], start: number, end: number, bucketMs: number): number[] {
  const buckets = Math.floor((end - start) / bucketMs);
  const totals = new Array<number>(buckets).fill(0);
  times.forEach((at, i) => {
    const b = Math.floor((at - start) / bucketMs);
    if (b >= 0 && b < buckets) totals[b]! += amounts[i]!;
  });
  return totals.map((t) => t / (bucketMs / 1000));
}

export const fmt = {
  int: (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a'),
  ms: (n: number) => (Number.isFinite(n) ? `${n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US')} ms` : 'n/a'),
  mib: (bytes: number) => (Number.isFinite(bytes) && bytes > 0 ? `${Math.round(bytes / 1024 / 1024)} MiB` : 'n/a'),
  ratio: (n: number) => (Number.isFinite(n) ? n.toFixed(2) : 'n/a'),
};

/** Rounds for the JSON line: figures, not noise. */
export function round(n: number, digits = 1): number | null {
  if (!Number.isFinite(n)) return null;
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
