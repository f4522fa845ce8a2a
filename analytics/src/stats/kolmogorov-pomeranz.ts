// Pomeranz's recursion (1974) for the Kolmogorov CDF P(D_n <= x), ported from
// SciPy's _kolmogn_Pomeranz. SciPy uses it for n <= 140 in the middle range
// 0.754693 < n x^2 <= 4, where the matrix method's k gets too large.
//
// Each of the 2n + 1 steps convolves a short window of the previous row with
// one of three truncated Poisson-like weight sequences; only the non-zero
// window [j1, j2] of each row is kept.
import { timesPowerOfTwo } from './kolmogorov-durbin';

const SCALE_EXPONENT = 128;
const SCALE_UP = 2 ** SCALE_EXPONENT;
const SCALE_DOWN = 2 ** -SCALE_EXPONENT;

interface RowWindow {
  j1: number;
  j2: number;
}

function rowWindow(i: number, n: number, ll: number, ceilf: number, roundf: number): RowWindow {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return { j1: Math.max(j1 + 2, 0), j2: Math.min(j2, n) };
}

/** (c/n)^m / m! for m = 0..count-1. */
function scaledPowers(c: number, n: number, count: number): Float64Array {
  const powers = new Float64Array(count);
  powers[0] = 1;
  for (let m = 1; m < count; m++) powers[m] = ((powers[m - 1] as number) * (c / n)) / m;
  return powers;
}

/** P(D_n <= x), clipped to [0, 1]. */
export function pomeranzCdf(n: number, x: number): number {
  const t = n * x;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilf = f > 0 ? 1 : 0;
  const roundf = f > 0.5 ? 1 : 0;
  const width = 2 * (ll + 1);
  const gPowers = scaledPowers(g, n, width);
  const twoGPowers = scaledPowers(2 * g, n, width);
  const oneMinusTwoGPowers = scaledPowers(1 - 2 * g, n, width);

  let previous = new Float64Array(width);
  let current = new Float64Array(width);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let { j1 } = rowWindow(0, n, ll, ceilf, roundf);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    const window = rowWindow(i, n, ll, ceilf, roundf);
    j1 = window.j1;
    const j2 = window.j2;
    const weights = i === 1 || i === 2 * n + 1 ? gPowers : i % 2 === 1 ? twoGPowers : oneMinusTwoGPowers;
    const span = j2 - k1 + 1;
    if (span <= 0) continue;
    // Entries conv[offset .. offset + length) of the full convolution of
    // previous[k1 - previousStart ..][0 .. span) with weights[0 .. span).
    const source = k1 - previousStart;
    const sourceLength = Math.min(span, width - source);
    const offset = j1 - k1;
    const length = j2 - j1 + 1;
    let largest = 0;
    for (let out = 0; out < length; out++) {
      const index = offset + out;
      let sum = 0;
      for (let a = Math.max(0, index - span + 1); a <= Math.min(index, sourceLength - 1); a++) {
        sum += (previous[source + a] as number) * (weights[index - a] as number);
      }
      current[out] = sum;
      largest = Math.max(largest, sum);
    }
    if (largest > 0 && largest < SCALE_DOWN) {
      for (let out = 0; out < length; out++) current[out] = (current[out] as number) * SCALE_UP;
      exponent -= SCALE_EXPONENT;
    }
    currentStart = previousStart + j1 - k1;
  }

  // Multiply by n!, rescaling to avoid overflow.
  let answer = current[n - currentStart] as number;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE_UP) {
      answer *= SCALE_DOWN;
      exponent += SCALE_EXPONENT;
    }
    answer *= m;
  }
  return Math.min(Math.max(timesPowerOfTwo(answer, exponent), 0), 1);
}
