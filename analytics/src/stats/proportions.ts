// Two-proportion z-test with pooled variance, matching statsmodels'
// proportions_ztest([x1, x2], [n1, n2]) (two-sided, no continuity correction).
import { normalSf } from './normal-distribution';

export interface TwoProportionZTestResult {
  /** (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2)) with the pooled p = (x1 + x2) / (n1 + n2). */
  z: number;
  /** Two-sided p-value; NaN when the pooled proportion is 0 or 1 (no variance), as in statsmodels. */
  p: number;
  /** p1 - p2. */
  difference: number;
  /** Cohen's h = 2 asin(sqrt(p1)) - 2 asin(sqrt(p2)), a scale-free effect size. */
  cohensH: number;
}

export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number): TwoProportionZTestResult {
  if (!(n1 > 0) || !(n2 > 0) || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2) {
    throw new RangeError(`twoProportionZTest needs 0 <= x <= n and n > 0, got ${x1}/${n1} and ${x2}/${n2}`);
  }
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const difference = p1 - p2;
  const pooled = (x1 + x2) / (n1 + n2);
  const variance = pooled * (1 - pooled) * (1 / n1 + 1 / n2);
  const standardError = Math.sqrt(variance);
  // 0 / 0 when both groups are all-0 or all-1: no test is possible.
  const z = standardError > 0 ? difference / standardError : Number.NaN;
  const p = Number.isNaN(z) ? Number.NaN : 2 * normalSf(Math.abs(z));
  const cohensH = 2 * Math.asin(Math.sqrt(p1)) - 2 * Math.asin(Math.sqrt(p2));
  return { z, p, difference, cohensH };
}
