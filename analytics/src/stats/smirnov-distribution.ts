// The one-sided one-sample Smirnov distribution, P(D+_n >= d), by the exact
// Birnbaum-Tingey sum
//   sum_{v=0}^{floor(n(1-d))} C(n, v) d (d + v/n)^(v-1) (1 - d - v/n)^(n-v).
// Every term is positive, so evaluating each term in log space keeps full
// relative accuracy for any n. SciPy's scipy.special.smirnov evaluates the
// same sum (in double-double arithmetic); the two-sided Kolmogorov
// distribution uses 2 * smirnov in its upper tail.

/** P(D+_n >= d) for an integer n >= 1. */
export function smirnovSf(n: number, d: number): number {
  if (Number.isNaN(d)) return Number.NaN;
  if (d <= 0) return 1;
  if (d >= 1) return 0;
  const last = Math.floor(n * (1 - d));
  const logD = Math.log(d);
  // ln C(n, v) grows to ~n ln 2 while each step adds ~ln n, so a plain running
  // sum would lose ~1e-9 relative for n = 1e5; Neumaier's compensated
  // summation keeps it at a few ulps.
  let logBinomial = 0;
  let compensation = 0;
  let sum = 0;
  for (let v = 0; v <= last; v++) {
    if (v > 0) {
      const step = Math.log((n - v + 1) / v);
      const total = logBinomial + step;
      compensation += Math.abs(logBinomial) >= Math.abs(step) ? logBinomial - total + step : step - total + logBinomial;
      logBinomial = total;
    }
    const rest = 1 - d - v / n;
    if (rest <= 0 && v < n) break;
    const logTerm = logBinomial + compensation + logD + (v - 1) * Math.log(d + v / n) + (n - v) * (v < n ? Math.log1p(-(d + v / n)) : 0);
    sum += Math.exp(logTerm);
  }
  return Math.min(Math.max(sum, 0), 1);
}
