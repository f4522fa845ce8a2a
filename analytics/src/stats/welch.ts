// Welch's unequal-variance t-test from summary statistics, matching
// scipy.stats.ttest_ind(a, b, equal_var=False) on the raw samples. The
// analytics jobs keep per-group mean, variance and count (rollups), so the
// test takes those rather than the samples.
import { studentTTwoSidedP } from './student-t';

export interface SampleSummary {
  mean: number;
  /** Sample variance with Bessel's correction (ddof = 1). */
  variance: number;
  n: number;
}

export interface WelchTTestResult {
  /** (mean a - mean b) / sqrt(var a / n a + var b / n b). */
  t: number;
  /** Welch-Satterthwaite degrees of freedom. */
  df: number;
  /** Two-sided p-value. */
  p: number;
  /** mean a - mean b. */
  meanDifference: number;
  /**
   * Cohen's d: the mean difference over the pooled standard deviation
   * sqrt(((na - 1) va + (nb - 1) vb) / (na + nb - 2)). NaN when that is 0.
   */
  cohensD: number;
  /** Hedges' g: Cohen's d times 1 - 3 / (4 (na + nb) - 9), less biased for small samples. */
  hedgesG: number;
}

/**
 * Welch's t-test of a against b. Needs n >= 2 on each side. With both
 * variances zero the result follows SciPy: t = +/-Infinity and p = 0 when
 * the means differ, NaN when they are equal, and df = 1 in both cases.
 */
export function welchTTest(a: SampleSummary, b: SampleSummary): WelchTTestResult {
  if (!(a.n >= 2) || !(b.n >= 2)) throw new RangeError(`welchTTest needs n >= 2 in each group, got ${a.n} and ${b.n}`);
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const meanDifference = a.mean - b.mean;
  const t = meanDifference / Math.sqrt(va + vb);
  const dfRaw = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  // SciPy replaces the 0/0 of two zero variances by df = 1.
  const df = Number.isNaN(dfRaw) ? 1 : dfRaw;
  const p = studentTTwoSidedP(t, df);
  const pooledSd = Math.sqrt(((a.n - 1) * a.variance + (b.n - 1) * b.variance) / (a.n + b.n - 2));
  const cohensD = pooledSd > 0 ? meanDifference / pooledSd : Number.NaN;
  const hedgesG = cohensD * (1 - 3 / (4 * (a.n + b.n) - 9));
  return { t, df, p, meanDifference, cohensD, hedgesG };
}
