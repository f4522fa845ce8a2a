import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from './kolmogorov-distribution';
import { decodeNumber, readReference, type EncodedNumber } from './reference/read-reference';

interface KstwoCase {
  n: number;
  x: number;
  sf: EncodedNumber;
}

const reference = readReference<KstwoCase>('kstwo.json');

describe('kolmogorovSf (scipy.stats.kstwo.sf)', () => {
  it(`agrees with SciPy over ${reference.cases.length} points crossing every method's range`, () => {
    let worstAbsolute = 0;
    let worstRelative = 0;
    for (const { n, x, sf } of reference.cases) {
      const expected = decodeNumber(sf);
      const actual = kolmogorovSf(n, x);
      const absolute = Math.abs(actual - expected);
      worstAbsolute = Math.max(worstAbsolute, absolute);
      if (expected > 1e-300) worstRelative = Math.max(worstRelative, absolute / expected);
      expect(absolute, `n=${n} x=${x}`).toBeLessThan(1e-10);
    }
    // Far tighter than the 1e-3 ks_2samp needs: every branch is a faithful port.
    expect(worstAbsolute).toBeLessThan(1e-10);
    expect(worstRelative).toBeLessThan(1e-9);
  });

  it('has the closed forms at the edges of the support', () => {
    // D_n >= 1/(2n) always, and D_n <= 1.
    expect(kolmogorovSf(10, 0.04)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    // n = 1: D_1 = max(U, 1 - U) so P(D_1 >= x) = 2 (1 - x) for x >= 1/2.
    expect(kolmogorovSf(1, 0.75)).toBeCloseTo(0.5, 15);
  });

  it('is NaN for a size that is not a positive integer', () => {
    expect(kolmogorovSf(0, 0.5)).toBeNaN();
    expect(kolmogorovSf(2.5, 0.5)).toBeNaN();
  });
});
