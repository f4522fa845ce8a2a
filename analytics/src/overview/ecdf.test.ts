import { describe, expect, it } from 'vitest';
import { ksTest } from '../stats/ks-test';
import { ecdfPoints, largestGap } from './ecdf';

describe('ecdfPoints', () => {
  it('steps once per distinct value with the share at or below it', () => {
    expect(ecdfPoints([3, 1, 2, 2])).toEqual([[1, 0.25], [2, 0.75], [3, 1]]);
  });
  it('keeps at most maxPoints steps, ends at F = 1, and stays ascending', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => i);
    const points = ecdfPoints(values, 100);
    expect(points).toHaveLength(100);
    expect(points.at(-1)).toEqual([9999, 1]);
    for (let k = 1; k < points.length; k++) expect(points[k]![0]).toBeGreaterThan(points[k - 1]![0]);
  });
});

describe('largestGap', () => {
  it('is D of two samples worked out by hand', () => {
    // At 3, F_a is 1 and F_b is 1/4 (only 2.5 lies below): the gap is 3/4.
    expect(largestGap([1, 2, 3], [4, 5, 6, 2.5])).toEqual({ d: 0.75, at: 3 });
    const { d, at } = largestGap([1, 2, 9], [3, 4, 5]);
    expect(d).toBeCloseTo(2 / 3, 12);
    expect(at).toBe(2);
  });
  it('agrees with the drift job\'s KS test, ties included', () => {
    const a = Array.from({ length: 300 }, (_, i) => Math.round(Math.sin(i) * 50));
    const b = Array.from({ length: 250 }, (_, i) => Math.round(Math.cos(i * 1.3) * 40) + 5);
    expect(largestGap(a, b).d).toBeCloseTo(ksTest(a, b).d, 12);
  });
});
