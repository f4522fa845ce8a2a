import { describe, expect, it } from 'vitest';
import { decodeNumber, readReference, type EncodedNumber } from './reference/read-reference';
import { studentTSf, studentTTwoSidedP } from './student-t';

interface StudentTCase {
  t: number;
  df: number;
  twoSidedP: EncodedNumber;
}

const reference = readReference<StudentTCase>('student-t.json');

describe('studentTTwoSidedP against 2 * scipy.stats.t.sf', () => {
  it(`agrees to 1e-11 relative on ${reference.cases.length} (t, df) pairs, df from 0.5 to 1e6`, () => {
    for (const { t, df, twoSidedP } of reference.cases) {
      const expected = decodeNumber(twoSidedP);
      const actual = studentTTwoSidedP(t, df);
      // SciPy's stdtr is itself off by 2.8e-11 at t = 1e-6, df = 1 (see below).
      expect(Math.abs(actual - expected), `t=${t} df=${df}`).toBeLessThanOrEqual(Math.max(1e-11 * expected, 1e-300));
    }
  });

  it('is exact where SciPy is not: t = 1e-6 with one degree of freedom', () => {
    // Cauchy: P(|T| >= t) = 1 - 2 atan(t) / pi = 0.99999936338022763263 (mpmath).
    expect(studentTTwoSidedP(1e-6, 1)).toBeCloseTo(0.99999936338022763263, 15);
  });

  it('has the Cauchy closed form at df = 1', () => {
    // P(T > t) = 1/2 - atan(t) / pi for the Cauchy distribution.
    expect(studentTSf(1, 1)).toBeCloseTo(0.25, 15);
    expect(studentTSf(3, 1)).toBeCloseTo(0.5 - Math.atan(3) / Math.PI, 15);
    expect(studentTSf(-1, 1)).toBeCloseTo(0.75, 15);
  });
});
