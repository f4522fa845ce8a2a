// Wilson score interval for a binomial proportion (Wilson 1927), as
// statsmodels' proportion_confint(method='wilson') computes it. Unlike the
// normal-approximation interval it stays inside [0, 1] and behaves at 0 or n
// successes, which matters for small feedback counts.
import { normalIsf } from './normal-distribution';

export interface WilsonInterval {
  /** positive / n; null when n = 0. */
  rate: number | null;
  low: number;
  high: number;
}

// The exact 97.5% normal quantile, so the common case needs no iteration.
const Z_95 = 1.959963984540054;

/**
 * The two-sided Wilson interval at the given confidence. With no trials
 * there is no rate, and the interval is by convention the whole of [0, 1]
 * (the limit of the formula's width as the evidence vanishes).
 */
export function wilsonInterval(positive: number, n: number, confidence = 0.95): WilsonInterval {
  if (!(n >= 0) || !(positive >= 0) || positive > n || !(confidence > 0 && confidence < 1)) {
    throw new RangeError(`wilsonInterval: need 0 <= positive <= n and 0 < confidence < 1, got ${positive}/${n} at ${confidence}`);
  }
  if (n === 0) return { rate: null, low: 0, high: 1 };
  const z = confidence === 0.95 ? Z_95 : normalIsf((1 - confidence) / 2);
  const rate = positive / n;
  const z2 = z * z;
  // The same operations, in the same order, as statsmodels.
  const denominator = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denominator;
  const halfWidth = (z * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n ** 2))) / denominator;
  return { rate, low: Math.max(centre - halfWidth, 0), high: Math.min(centre + halfWidth, 1) };
}
