import { parsePicoUsd, picoToUsd } from '../costs/usd';

export type SeriesInterval = 'hour' | 'day';

export interface StackedCost {
  interval: SeriesInterval;
  /** Bucket starts (ISO 8601), every bucket of the range, empty ones included. */
  buckets: string[];
  /** The dearest keys, dearest first, each a series; "" is calls that did not say. */
  keys: string[];
  /** [key][bucket] cost in USD, parallel to keys and buckets. */
  costs_usd: number[][];
  /** Every other key, per bucket; all zeros when there is none. */
  other_usd: number[];
  has_other: boolean;
  /** Per bucket, all keys. */
  total_usd: number[];
}

const intervalMs: Record<SeriesInterval, number> = { hour: 3_600_000, day: 86_400_000 };

/** Hourly buckets up to two days, daily beyond, as the finance report draws. */
export function seriesInterval(fromMs: number, toMs: number): SeriesInterval {
  return toMs - fromMs <= 2 * intervalMs.day ? 'hour' : 'day';
}

/** The UTC bucket starts (epoch ms) that [fromMs, toMs) touches. */
export function bucketStarts(fromMs: number, toMs: number, interval: SeriesInterval): number[] {
  const step = intervalMs[interval];
  const starts: number[] = [];
  for (let start = fromMs - (((fromMs % step) + step) % step); start < toMs; start += step) starts.push(start);
  return starts;
}

/**
 * Stacks per-(bucket, key) costs into at most `top` series, the dearest over
 * the whole range, and one "other" series; sums are exact (picodollars) and
 * rounded once per cell.
 */
export function stackCosts(
  rows: ReadonlyArray<{ bucket: number; key: string; /** Decimal text, or picodollars. */ cost: string | bigint }>,
  options: { fromMs: number; toMs: number; interval: SeriesInterval; top: number },
): StackedCost {
  const starts = bucketStarts(options.fromMs, options.toMs, options.interval);
  const index = new Map(starts.map((start, i) => [start, i]));
  const totals = new Map<string, bigint>();
  for (const row of rows) totals.set(row.key, (totals.get(row.key) ?? 0n) + pico(row.cost));
  const keys = [...totals]
    .sort(([a, costA], [b, costB]) => (costB > costA ? 1 : costB < costA ? -1 : a < b ? -1 : a > b ? 1 : 0))
    .slice(0, options.top)
    .map(([key]) => key);
  const keyIndex = new Map(keys.map((key, i) => [key, i]));
  const cells = keys.map(() => starts.map(() => 0n));
  const other = starts.map(() => 0n);
  const total = starts.map(() => 0n);
  let hasOther = false;
  for (const row of rows) {
    const at = index.get(row.bucket);
    if (at === undefined) continue;
    const cost = pico(row.cost);
    const series = keyIndex.get(row.key);
    if (series === undefined) {
      other[at]! += cost;
      hasOther = true;
    } else cells[series]![at]! += cost;
    total[at]! += cost;
  }
  return {
    interval: options.interval,
    buckets: starts.map((start) => new Date(start).toISOString()),
    keys,
    costs_usd: cells.map((line) => line.map(picoToUsd)),
    other_usd: other.map(picoToUsd),
    has_other: hasOther,
    total_usd: total.map(picoToUsd),
  };
}

function pico(cost: string | bigint): bigint {
  return typeof cost === 'bigint' ? cost : parsePicoUsd(cost);
}
