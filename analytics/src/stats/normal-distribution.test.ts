import { describe, expect, it } from 'vitest';
import { normalCdf, normalIsf, normalQuantile, normalSf } from './normal-distribution';
import { readReference } from './reference/read-reference';

interface NormalReference {
  sf: Array<{ z: number; sf: number; sfExact: number }>;
  quantile: Array<{ p: number; quantile: number; quantileExact: number }>;
}

const [reference] = readReference<NormalReference>('normal.json').cases as [NormalReference];

function relativeError(actual: number, expected: number): number {
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
}

describe('standard normal tail', () => {
  it('is within 3e-15 relative of the 40-digit value, down to 1e-300', () => {
    for (const { z, sfExact } of reference.sf) {
      expect(relativeError(normalSf(z), sfExact), `z=${z}`).toBeLessThan(3e-15);
    }
  });

  it('agrees with scipy.stats.norm.sf to SciPy accuracy', () => {
    // SciPy evaluates erfc(z / sqrt(2)); rounding z / sqrt(2) costs it ~z^2 ulps (1e-13 at z = 37).
    for (const { z, sf } of reference.sf) {
      expect(relativeError(normalSf(z), sf), `z=${z}`).toBeLessThan(2e-13);
    }
  });
});

describe('standard normal quantile', () => {
  it('is within 3e-15 relative of the 40-digit value and of scipy.stats.norm.ppf', () => {
    for (const { p, quantile, quantileExact } of reference.quantile) {
      expect(Math.abs(normalQuantile(p) - quantileExact), `p=${p}`).toBeLessThan(3e-15 * Math.max(1, Math.abs(quantileExact)));
      expect(Math.abs(normalQuantile(p) - quantile), `p=${p}`).toBeLessThan(3e-15 * Math.max(1, Math.abs(quantile)));
    }
  });

  it('knows the familiar values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalIsf(0.025)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalSf(40)).toBe(0);
    expect(normalSf(-40)).toBe(1);
  });
});
