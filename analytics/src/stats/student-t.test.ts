import { describe, expect, it } from 'vitest';
import { decodeNumber, readReference, type EncodedNumber } from './reference/read-reference';
import { studentTSf, studentTTwoSidedP } from './student-t';

interface StudentTCase {
  t: number;
  df: number;
  twoSidedP: EncodedNumber;
  twoSidedPExact: number;
}

const reference = readReference<StudentTCase>('student-t.json');

function relativeError(actual: number, expected: number): number {
  // Far tails underflow to 0 in double precision on both sides.
  return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / expected;
}

describe('studentTTwoSidedP', () => {
  it(`is within 1e-12 relative of the 40-digit value on ${reference.cases.length} (t, df) pairs`, () => {
    for (const { t, df, twoSidedPExact } of reference.cases) {
      // At df = 1e6 the incomplete beta's continued fraction is ill-conditioned
      // in the tail (x within 1e-5 of 1); the worst case there is 2e-11.
      const bound = df > 1e5 ? 1e-10 : 1e-12;
      expect(relativeError(studentTTwoSidedP(t, df), twoSidedPExact), `t=${t} df=${df}`).toBeLessThan(bound);
    }
  });

  it('agrees with 2 * scipy.stats.t.sf within 1e-9 relative or 1e-12 absolute', () => {
    // SciPy's own error reaches 2.8e-11 (t = 1e-6, df = 1), hence no tighter bound here.
    for (const { t, df, twoSidedP } of reference.cases) {
      const expected = decodeNumber(twoSidedP);
      const error = Math.abs(studentTTwoSidedP(t, df) - expected);
      expect(error <= 1e-12 || error <= 1e-9 * expected, `t=${t} df=${df}`).toBe(true);
    }
  });

  it('has the Cauchy closed form at df = 1', () => {
    // P(T > t) = 1/2 - atan(t) / pi for the Cauchy distribution.
    expect(studentTSf(1, 1)).toBeCloseTo(0.25, 15);
    expect(studentTSf(-1, 1)).toBeCloseTo(0.75, 15);
    expect(studentTSf(3, 1)).toBeCloseTo(0.5 - Math.atan(3) / Math.PI, 15);
    expect(studentTTwoSidedP(1e-6, 1)).toBeCloseTo(1 - (2 * Math.atan(1e-6)) / Math.PI, 15);
  });
});
