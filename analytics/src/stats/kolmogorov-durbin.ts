// Durbin's matrix method for the Kolmogorov CDF P(D_n <= d), as arranged by
// Marsaglia, Tsang & Wang (2003) and ported from SciPy's _kolmogn_DMTW.
// With d = (k - h)/n, the CDF is n!/n^n times the (k, k) entry of H^n for a
// (2k - 1)-square matrix H; memory O(k^2), time O(k^3 log n), so SciPy uses
// it only where k stays small.

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

type Matrix = Float64Array;

function multiply(left: Matrix, right: Matrix, size: number): Matrix {
  const product = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const factor = left[i * size + k] as number;
      if (factor === 0) continue;
      for (let j = 0; j < size; j++) {
        product[i * size + j] = (product[i * size + j] as number) + factor * (right[k * size + j] as number);
      }
    }
  }
  return product;
}

function scaleInPlace(matrix: Matrix, factor: number): void {
  for (let i = 0; i < matrix.length; i++) matrix[i] = (matrix[i] as number) * factor;
}

/** P(D_n <= d), clipped to [0, 1]. */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  // v[j] = (1 - h^(j+1)) / (j+1)! is the first column (and, reversed, the
  // last row) of H; w[j] = 1/j! fills the band above the diagonal.
  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorialInverse = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorialInverse;
    factorialInverse /= j;
    v[j - 1] = (1 - h ** j) * factorialInverse;
  }
  const correction = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + correction) * factorialInverse;

  let power: Matrix = new Float64Array(m * m);
  for (let i = 1; i < m; i++) {
    for (let row = i - 1; row < m; row++) power[row * m + i] = w[row - i + 1] as number;
  }
  for (let row = 0; row < m; row++) power[row * m] = v[row] as number;
  for (let col = 0; col < m; col++) power[(m - 1) * m + col] = v[m - 1 - col] as number;

  // Binary powering. Both the running square and the accumulated product are
  // rescaled by 2^-128 when their (k, k) entry grows past 2^128, and the
  // exponents are tracked separately. (SciPy rescales only the square; also
  // rescaling the product changes nothing but the overflow threshold.)
  let result: Matrix | undefined;
  let resultExponent = 0;
  let powerExponent = 0;
  const centre = (k - 1) * m + (k - 1);
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      result = result === undefined ? Float64Array.from(power) : multiply(result, power, m);
      resultExponent += powerExponent;
      if (Math.abs(result[centre] as number) > SCALE_UP) {
        scaleInPlace(result, SCALE_DOWN);
        resultExponent += SCALE_EXPONENT;
      }
    }
    if (remaining > 1) {
      power = multiply(power, power, m);
      powerExponent *= 2;
      if (Math.abs(power[centre] as number) > SCALE_UP) {
        scaleInPlace(power, SCALE_DOWN);
        powerExponent += SCALE_EXPONENT;
      }
    }
  }

  let p = (result as Matrix)[centre] as number;
  let exponent = resultExponent;
  // Multiply by n!/n^n one factor at a time, rescaling to avoid underflow.
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < SCALE_DOWN) {
      p *= SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
  }
  return Math.min(Math.max(timesPowerOfTwo(p, exponent), 0), 1);
}

/** p * 2^exponent without overflowing the power itself (like C's ldexp). */
export function timesPowerOfTwo(p: number, exponent: number): number {
  let value = p;
  let remaining = exponent;
  while (remaining > 1000) {
    value *= 2 ** 1000;
    remaining -= 1000;
  }
  while (remaining < -1000) {
    value *= 2 ** -1000;
    remaining += 1000;
  }
  return value * 2 ** remaining;
}
