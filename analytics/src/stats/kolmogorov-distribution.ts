// The two-sided one-sample Kolmogorov distribution: P(D_n >= x) for the
// statistic D_n = sup |F_n - F| of n observations. This is scipy.stats.kstwo,
// which ks_2samp uses for its 'asymp' two-sided p-value with
// n = round(m n / (m + n)).
//
// Ported from SciPy's _ksstats.py, which follows Simard & L'Ecuyer (2011):
// no single method is both fast and accurate everywhere, so the (n, x) plane
// is split between the Ruben-Gambino closed forms, the Durbin matrix method
// (Marsaglia-Tsang-Wang), Pomeranz's recursion, the Pelz-Good expansion and
// twice the one-sided Smirnov tail. Keeping SciPy's cut-offs keeps its answers.
import { durbinMatrixCdf } from './kolmogorov-durbin';
import { pelzGoodCdf } from './kolmogorov-pelz-good';
import { pomeranzCdf } from './kolmogorov-pomeranz';
import { smirnovSf } from './smirnov-distribution';

// Stirling's series for ln(n!/n^n); see log-gamma.ts for the coefficients.
const STIRLING_HIGH_FIRST = [
  -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3, 8.4175084175084175084e-4,
  -5.952380952380952381e-4, 7.9365079365079365079e-4, -2.7777777777777777778e-3, 8.3333333333333333333e-2,
];

function logFactorialOverPower(n: number): number {
  const rn = 1 / n;
  let series = 0;
  for (const coefficient of STIRLING_HIGH_FIRST) series = series * (rn / n) + coefficient;
  return Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * series;
}

function clip(p: number): number {
  return Math.min(Math.max(p, 0), 1);
}

/** P(D_n >= x), the survival function of kstwo(n) at x; n a positive integer. */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(x)) return Number.NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben-Gambino: for 1/(2n) <= x <= 1/n the CDF is n!/n^n (2t - 1)^n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip(1 - cdf);
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n);
  // For x >= 1/2 the two one-sided excursions cannot both happen.
  if (x >= 0.5) return clip(2 * smirnovSf(n, x));

  const nxSquared = t * x;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip(1 - durbinMatrixCdf(n, x));
    if (nxSquared <= 4) return clip(1 - pomeranzCdf(n, x));
    return clip(2 * smirnovSf(n, x));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSf(n, x));
  if (n <= 100_000 && n * x ** 1.5 <= 1.4) return clip(1 - durbinMatrixCdf(n, x));
  return clip(1 - pelzGoodCdf(n, x));
}
