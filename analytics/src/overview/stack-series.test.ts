import { describe, expect, it } from 'vitest';
import { bucketStarts, seriesInterval, stackCosts } from './stack-series';

const H = 3_600_000;
const t0 = Date.parse('2026-11-20T00:00:00Z');

describe('bucketStarts', () => {
  it('covers a range that starts and ends inside buckets', () => {
    expect(bucketStarts(t0 + 30 * 60_000, t0 + 2 * H + 1, 'hour')).toEqual([t0, t0 + H, t0 + 2 * H]);
    expect(bucketStarts(t0, t0 + 2 * H, 'hour')).toEqual([t0, t0 + H]);
  });
  it('picks hours up to two days and days beyond', () => {
    expect(seriesInterval(t0, t0 + 48 * H)).toBe('hour');
    expect(seriesInterval(t0, t0 + 49 * H)).toBe('day');
  });
});

describe('stackCosts', () => {
  it('keeps the dearest keys over the range and folds the rest into other, exactly', () => {
    const rows = [
      { bucket: t0, key: 'a', cost: '0.1' },
      { bucket: t0 + H, key: 'a', cost: '0.2' },
      { bucket: t0, key: 'b', cost: '0.25' },
      { bucket: t0 + H, key: 'c', cost: '0.000000000001' },
      { bucket: t0 + H, key: 'd', cost: '0.000000000002' },
    ];
    const stacked = stackCosts(rows, { fromMs: t0, toMs: t0 + 2 * H, interval: 'hour', top: 2 });
    expect(stacked.keys).toEqual(['a', 'b']);
    expect(stacked.costs_usd).toEqual([[0.1, 0.2], [0.25, 0]]);
    expect(stacked.has_other).toBe(true);
    // 3 picodollars of other round to 0 per cell; the total is still exact to the nanodollar.
    expect(stacked.other_usd).toEqual([0, 0]);
    expect(stacked.total_usd).toEqual([0.35, 0.2]);
  });
  it('gives every bucket, empty ones as zero', () => {
    const stacked = stackCosts([], { fromMs: t0, toMs: t0 + 3 * H, interval: 'hour', top: 8 });
    expect(stacked.buckets).toHaveLength(3);
    expect(stacked.keys).toEqual([]);
    expect(stacked.total_usd).toEqual([0, 0, 0]);
  });
});
