import { describe, expect, it } from 'vitest';
import { readReference } from './reference/read-reference';
import { welchTTest, type SampleSummary } from './welch';

interface WelchCase {
  name: string;
  a: SampleSummary;
  b: SampleSummary;
  t: number;
  df: number;
  p: number;
  cohensD: number;
  hedgesG: number;
}

const reference = readReference<WelchCase>('welch.json');

function expectClose(actual: number, expected: number, relative: number, absolute: number, label: string): void {
  expect(Math.abs(actual - expected), label).toBeLessThanOrEqual(Math.max(absolute, relative * Math.abs(expected)));
}

describe('welchTTest against scipy.stats.ttest_ind(equal_var=False)', () => {
  for (const testCase of reference.cases) {
    it(testCase.name, () => {
      const result = welchTTest(testCase.a, testCase.b);
      expectClose(result.t, testCase.t, 1e-12, 0, 't');
      expectClose(result.df, testCase.df, 1e-12, 0, 'df');
      expectClose(result.p, testCase.p, 1e-9, 1e-12, 'p');
      expectClose(result.meanDifference, testCase.a.mean - testCase.b.mean, 0, 0, 'mean difference');
      expectClose(result.cohensD, testCase.cohensD, 1e-12, 0, "Cohen's d");
      expectClose(result.hedgesG, testCase.hedgesG, 1e-12, 0, "Hedges' g");
    });
  }
});

describe('welchTTest edge cases', () => {
  it('follows SciPy when both variances are zero', () => {
    const differ = welchTTest({ mean: 1, variance: 0, n: 3 }, { mean: 2, variance: 0, n: 3 });
    expect(differ.t).toBe(Number.NEGATIVE_INFINITY);
    expect(differ.p).toBe(0);
    expect(differ.df).toBe(1);
    const same = welchTTest({ mean: 1, variance: 0, n: 3 }, { mean: 1, variance: 0, n: 3 });
    expect(same.t).toBeNaN();
    expect(same.p).toBeNaN();
  });

  it('needs two observations per group', () => {
    expect(() => welchTTest({ mean: 1, variance: 0, n: 1 }, { mean: 1, variance: 1, n: 5 })).toThrow(RangeError);
  });
});
