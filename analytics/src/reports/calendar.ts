/**
 * The calendar of a report, in UTC: the buckets of its cost-over-time chart,
 * the calendar months its range touches, and monthly amounts prorated to it.
 * All times are epoch milliseconds; ranges are [from, to).
 */
export type BucketUnit = 'hour' | 'day' | 'month';

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

/** Hourly buckets for a range of two days or less, daily ones beyond. */
export function overTimeUnit(fromMs: number, toMs: number): 'hour' | 'day' {
  return toMs - fromMs <= 2 * dayMs ? 'hour' : 'day';
}

/** The start of the UTC hour, day or month holding `ms`. */
export function bucketStart(ms: number, unit: BucketUnit): number {
  if (unit === 'hour') return Math.floor(ms / hourMs) * hourMs;
  if (unit === 'day') return Math.floor(ms / dayMs) * dayMs;
  const date = new Date(ms);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: number, unit: BucketUnit): number {
  if (unit === 'hour') return start + hourMs;
  if (unit === 'day') return start + dayMs;
  const date = new Date(start);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
}

export interface Bucket {
  /** Start of the calendar hour, day or month: the bucket's label and its key in query results. */
  start: number;
  /** The part of the bucket inside the range. */
  from: number;
  to: number;
}

/** Every bucket the range touches, in order, each cut to the range. */
export function bucketsOf(fromMs: number, toMs: number, unit: BucketUnit): Bucket[] {
  const buckets: Bucket[] = [];
  for (let start = bucketStart(fromMs, unit); start < toMs; start = nextBucketStart(start, unit)) {
    buckets.push({ start, from: Math.max(start, fromMs), to: Math.min(nextBucketStart(start, unit), toMs) });
  }
  return buckets;
}

export interface MonthSlice extends Bucket {
  /** `YYYY-MM`. */
  month: string;
  /** Days of the month inside the range (fractional when the range starts or ends within a day). */
  days: number;
  daysInMonth: number;
  /** The whole calendar month lies inside the range. */
  complete: boolean;
}

/** The calendar months the range touches, each cut to the range. */
export function monthsOf(fromMs: number, toMs: number): MonthSlice[] {
  return bucketsOf(fromMs, toMs, 'month').map((bucket) => {
    const end = nextBucketStart(bucket.start, 'month');
    return {
      ...bucket,
      month: new Date(bucket.start).toISOString().slice(0, 7),
      days: (bucket.to - bucket.from) / dayMs,
      daysInMonth: (end - bucket.start) / dayMs,
      complete: bucket.from === bucket.start && bucket.to === end,
    };
  });
}

/**
 * A monthly amount (revenue of a feature, price of a plan) for the range:
 * each calendar month the range touches contributes the amount times the
 * share of that month's days inside the range, so 10 days of a 31-day month
 * is 10/31 of it and a whole month is the whole amount.
 */
export function prorateMonthly(monthlyAmount: number, fromMs: number, toMs: number): number {
  let amount = 0;
  for (const slice of monthsOf(fromMs, toMs)) amount += (monthlyAmount * (slice.to - slice.from)) / (slice.daysInMonth * dayMs);
  return amount;
}
