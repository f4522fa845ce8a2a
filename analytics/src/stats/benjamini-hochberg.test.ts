import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from './benjamini-hochberg';
import { readReference } from './reference/read-reference';

interface BhCase {
  name: string;
  p: number[];
  adjusted: number[];
}

const reference = readReference<BhCase>('benjamini-hochberg.json');

describe('benjaminiHochberg against scipy.stats.false_discovery_control', () => {
  for (const { name, p, adjusted } of reference.cases) {
    it(name, () => {
      const actual = benjaminiHochberg(p);
      expect(actual).toHaveLength(adjusted.length);
      actual.forEach((value, i) => {
        // Same operations in the same order: equal to the last ulp or two.
        expect(Math.abs(value - (adjusted[i] as number)), `index ${i}`).toBeLessThanOrEqual(1e-15 * Math.max(1, adjusted[i] as number));
      });
    });
  }

  it('works a small case by hand', () => {
    // Sorted 0.01, 0.02, 0.03, 0.5 -> 0.04, 0.04, 0.04, 0.5 (running minimum from the top).
    benjaminiHochberg([0.5, 0.03, 0.01, 0.02]).forEach((value, i) => expect(value).toBeCloseTo([0.5, 0.04, 0.04, 0.04][i] as number, 15));
  });

  it('refuses values that are not probabilities, as SciPy does', () => {
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(RangeError);
    expect(() => benjaminiHochberg([1.5])).toThrow(RangeError);
  });

  it('returns an empty list for no tests and leaves the input alone', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    const input = [0.2, 0.1];
    benjaminiHochberg(input);
    expect(input).toEqual([0.2, 0.1]);
  });
});
