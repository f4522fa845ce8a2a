// The standard normal distribution: tail probability and quantile.
//
// Both are computed through the regularized incomplete gamma function with
// a = 1/2 (Phi(-z) = Q(1/2, z^2/2) / 2), whose series and continued fraction
// stay accurate to ~1e-15 relative even deep in the tail, where the usual
// 1 - Phi(z) would return 0.

const SQRT_PI = Math.sqrt(Math.PI);
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
const EPSILON = 1e-17;
const MAX_ITERATIONS = 1000;
const TINY = 1e-300;

/**
 * exp(-z^2 / 2) sqrt(z^2 / 2) with z^2 split exactly into a rounded part and
 * its rounding error (Dekker), so that deep in the tail the exponent's
 * rounding (z^2/2 ~ 700 carries an error of ~1e-13) does not reach the result.
 */
function tailFront(z: number): number {
  const square = z * z;
  const split = 134217729 * z;
  const high = split - (split - z);
  const low = z - high;
  const squareError = high * high - square + 2 * high * low + low * low;
  const x = square / 2;
  return Math.exp(-x) * Math.exp(-squareError / 2) * Math.sqrt(x + squareError / 2);
}

/** P(1/2, x) by its power series; converges fast for x < 3/2. */
function lowerGammaHalf(x: number): number {
  let term = 1 / 0.5;
  let sum = term;
  for (let n = 1; n < MAX_ITERATIONS; n++) {
    term *= x / (0.5 + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPSILON) break;
  }
  return (sum * Math.exp(-x) * Math.sqrt(x)) / SQRT_PI;
}

/** Q(1/2, x) / front by its continued fraction (modified Lentz); for x >= 3/2. */
function upperGammaHalfFraction(x: number): number {
  const a = 0.5;
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITERATIONS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h / SQRT_PI;
}

/** P(Z > z) for a standard normal Z. */
export function normalSf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN;
  if (z === Number.POSITIVE_INFINITY) return 0;
  if (z === Number.NEGATIVE_INFINITY) return 1;
  // Phi(-|z|) = Q(1/2, z^2/2) / 2.
  const x = (z * z) / 2;
  // Beyond z ~ 38.6 the tail is below the smallest double.
  if (x > 750) return z > 0 ? 0 : 1;
  const tail = x === 0 ? 0.5 : x < 1.5 ? 0.5 * (1 - lowerGammaHalf(x)) : 0.5 * tailFront(z) * upperGammaHalfFraction(x);
  return z >= 0 ? tail : 1 - tail;
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return normalSf(-z);
}

// Acklam's rational approximation (relative error 1.15e-9) gives the start;
// Halley steps against the accurate tail above then reach full precision.
const ACKLAM_A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const ACKLAM_B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const ACKLAM_C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const ACKLAM_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const ACKLAM_LOW = 0.02425;

function polynomial(coefficients: number[], x: number): number {
  let value = 0;
  for (const coefficient of coefficients) value = value * x + coefficient;
  return value;
}

function acklamLowerHalf(p: number): number {
  if (p < ACKLAM_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    return polynomial(ACKLAM_C, q) / (polynomial(ACKLAM_D, q) * q + 1);
  }
  const q = p - 0.5;
  const r = q * q;
  return (polynomial(ACKLAM_A, r) * q) / (polynomial(ACKLAM_B, r) * r + 1);
}

/**
 * The z with P(Z <= z) = p. For p above 1/2 it returns -quantile(1 - p), so
 * the refinement always works in the lower tail where probabilities are exact.
 */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p > 0.5) return -normalQuantile(1 - p);
  let x = acklamLowerHalf(p);
  for (let step = 0; step < 3; step++) {
    const error = normalSf(-x) - p;
    const u = error * SQRT_TWO_PI * Math.exp((x * x) / 2);
    const next = x - u / (1 + (x * u) / 2);
    if (next === x) break;
    x = next;
  }
  return x;
}

/** The z with P(Z > z) = q, e.g. 1.96 for q = 0.025. */
export function normalIsf(q: number): number {
  return -normalQuantile(q);
}
