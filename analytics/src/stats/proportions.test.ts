import { describe, expect, it } from 'vitest';
import { twoProportionZTest } from './proportions';
import { decodeNumber, readReference, type EncodedNumber } from './reference/read-reference';

interface ProportionCase {
  x1: number;
  n1: number;
  x2: number;
  n2: number;
  z: EncodedNumber;
  p: EncodedNumber;
  difference: number;
  cohensH: number;
}

const reference = readReference<ProportionCase>('proportions.json');

describe('twoProportionZTest against statsmodels proportions_ztest', () => {
  it(`agrees on ${reference.cases.length} cases`, () => {
    for (const testCase of reference.cases) {
      const { x1, n1, x2, n2 } = testCase;
      const result = twoProportionZTest(x1, n1, x2, n2);
      const label = `${x1}/${n1} vs ${x2}/${n2}`;
      const z = decodeNumber(testCase.z);
      const p = decodeNumber(testCase.p);
      if (Number.isNaN(z)) {
        expect(result.z, label).toBeNaN();
        expect(result.p, label).toBeNaN();
      } else {
        expect(Math.abs(result.z - z), label).toBeLessThanOrEqual(1e-12 * Math.abs(z));
        expect(Math.abs(result.p - p), label).toBeLessThanOrEqual(Math.max(1e-12 * p, 1e-300));
      }
      expect(result.difference, label).toBe(testCase.difference);
      expect(Math.abs(result.cohensH - testCase.cohensH), label).toBeLessThan(1e-15);
    }
  });

  it('works 60/100 against 40/100 by hand', () => {
    // Pooled 0.5: z = 0.2 / sqrt(0.25 * 0.02) = 2.828..., p = 0.00468.
    const result = twoProportionZTest(60, 100, 40, 100);
    expect(result.z).toBeCloseTo(2 * Math.SQRT2, 12);
    expect(result.p).toBeCloseTo(0.004678, 6);
  });

  it('rejects impossible counts', () => {
    expect(() => twoProportionZTest(5, 4, 1, 2)).toThrow(RangeError);
    expect(() => twoProportionZTest(0, 0, 1, 2)).toThrow(RangeError);
  });
});
