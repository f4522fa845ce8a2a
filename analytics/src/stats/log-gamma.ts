// Log-gamma and log-beta for positive arguments, accurate to a few ulps.
//
// The Student-t tail needs log B(df/2, 1/2) for df in the thousands or more,
// where the textbook lgamma(a) + lgamma(b) - lgamma(a + b) loses digits to
// cancellation. Stirling's series gives the difference directly instead.

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

// Stirling's correction uses the Bernoulli terms B_2k / (2k (2k - 1)) for
// k = 1..8; from x >= 10 on the first omitted term is below 1e-17.
const STIRLING_MIN_X = 10;
const STIRLING_COEFFS = [
  1 / 12,
  -1 / 360,
  1 / 1260,
  -1 / 1680,
  1 / 1188,
  -691 / 360360,
  1 / 156,
  -3617 / 122400,
];

/** The Stirling correction: lgamma(x) - ((x - 1/2) ln x - x + ln sqrt(2 pi)), for x >= 10. */
export function stirlingCorrection(x: number): number {
  const inverseSquare = 1 / (x * x);
  let sum = 0;
  for (let k = STIRLING_COEFFS.length - 1; k >= 0; k--) {
    sum = sum * inverseSquare + (STIRLING_COEFFS[k] as number);
  }
  return sum / x;
}

// Lanczos' approximation (g = 7, nine terms) for Gamma itself below 10,
// where ln Gamma is small and Stirling after shifting would lose digits to
// cancellation; relative error ~1e-15.
const LANCZOS_G = 7;
const LANCZOS_COEFFS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** Gamma(x + 1) for x >= -1/2 by Lanczos. */
function lanczosGammaPlusOne(x: number): number {
  let sum = LANCZOS_COEFFS[0] as number;
  for (let i = 1; i < LANCZOS_COEFFS.length; i++) sum += (LANCZOS_COEFFS[i] as number) / (x + i);
  const t = x + LANCZOS_G + 0.5;
  return Math.sqrt(2 * Math.PI) * t ** (x + 0.5) * Math.exp(-t) * sum;
}

/** ln Gamma(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  if (x < STIRLING_MIN_X) {
    // Gamma(x) = Gamma(x + 1) / x keeps the Lanczos argument at x >= 0.
    return x < 1 ? Math.log(lanczosGammaPlusOne(x) / x) : Math.log(lanczosGammaPlusOne(x - 1));
  }
  return (x - 0.5) * Math.log(x) - x + HALF_LOG_TWO_PI + stirlingCorrection(x);
}

/** ln Gamma(a) - ln Gamma(a + b) for a >= 10, b > 0, without cancellation. */
function logGammaRatio(a: number, b: number): number {
  const sum = a + b;
  return -(a - 0.5) * Math.log1p(b / a) - b * Math.log(sum) + b + stirlingCorrection(a) - stirlingCorrection(sum);
}

/** ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b) for a, b > 0. */
export function logBeta(a: number, b: number): number {
  const large = Math.max(a, b);
  const small = Math.min(a, b);
  if (large < STIRLING_MIN_X) return logGamma(a) + logGamma(b) - logGamma(a + b);
  return logGamma(small) + logGammaRatio(large, small);
}
