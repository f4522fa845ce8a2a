// Two-sample two-sided Kolmogorov-Smirnov test, matching
// scipy.stats.ks_2samp(a, b, alternative='two-sided', method=...).
//
// D is read off both empirical CDFs at every observed value with ties
// counted on the right (numpy searchsorted side='right'), so samples of
// integers such as token counts give SciPy's D exactly. The p-value is the
// exact permutation distribution of D when that is cheap enough, otherwise
// the one-sample Kolmogorov distribution with n = round(m n / (m + n)).
import { kolmogorovSf } from './kolmogorov-distribution';
import { probabilityOutsideBand, probabilityOutsideSquare } from './ks-exact';

export type KsMethod = 'auto' | 'exact' | 'asymp';

export interface KsTestOptions {
  /** 'auto' (default) is exact when both samples have at most 10,000 values, as in SciPy. */
  method?: KsMethod;
}

export interface KsTestResult {
  /** sup |F_a - F_b|; under 'exact' it is rounded to the lattice value h / lcm(n1, n2), as SciPy does. */
  d: number;
  /** Two-sided p-value; NaN when either sample holds NaN. */
  p: number;
  /** The method that produced p (an exact attempt can fall back to 'asymp'). */
  method: 'exact' | 'asymp';
  n1: number;
  n2: number;
}

// SciPy's limits: 'auto' tries exact up to this size, and an explicit
// 'exact' gives up when lcm(n1, n2) would not fit a 32-bit integer.
const MAX_AUTO_EXACT_SIZE = 10_000;
const INT32_MAX = 2_147_483_647;

function greatestCommonDivisor(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** numpy.round: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

/** The two-sided statistic max(max(F_a - F_b), max(F_b - F_a)) over all observed values. */
export function ksStatistic(sortedA: Float64Array, sortedB: Float64Array): number {
  const n1 = sortedA.length;
  const n2 = sortedB.length;
  let i = 0;
  let j = 0;
  let largest = 0;
  let smallest = 0;
  while (i < n1 || j < n2) {
    const value = Math.min(i < n1 ? (sortedA[i] as number) : Infinity, j < n2 ? (sortedB[j] as number) : Infinity);
    while (i < n1 && (sortedA[i] as number) <= value) i++;
    while (j < n2 && (sortedB[j] as number) <= value) j++;
    // The same two divisions and one subtraction as SciPy's cdf1 - cdf2.
    const difference = i / n1 - j / n2;
    if (difference > largest) largest = difference;
    if (difference < smallest) smallest = difference;
  }
  const below = Math.min(Math.max(-smallest, 0), 1);
  return below > largest ? below : largest;
}

function exactPValue(n1: number, n2: number, g: number, h: number): number {
  if (n1 === n2) return probabilityOutsideSquare(n1, h);
  return probabilityOutsideBand(n1, n2, g, h);
}

function asymptoticPValue(n1: number, n2: number, d: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const effectiveSize = roundHalfEven((m * n) / (m + n));
  return kolmogorovSf(effectiveSize, d);
}

export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>, options: KsTestOptions = {}): KsTestResult {
  const method = options.method ?? 'auto';
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('ksTest needs two non-empty samples');
  const sortedA = sortedCopy(a);
  const sortedB = sortedCopy(b);
  // Float64Array sorts NaN last, so one look at each end finds it.
  if (Number.isNaN(sortedA[n1 - 1] as number) || Number.isNaN(sortedB[n2 - 1] as number)) {
    return { d: Number.NaN, p: Number.NaN, method: method === 'asymp' ? 'asymp' : 'exact', n1, n2 };
  }
  let d = ksStatistic(sortedA, sortedB);
  const g = greatestCommonDivisor(n1, n2);

  let useExact: boolean;
  if (method === 'auto') useExact = Math.max(n1, n2) <= MAX_AUTO_EXACT_SIZE;
  else if (method === 'exact') useExact = n1 / g < INT32_MAX / (n2 / g);
  else useExact = false;

  if (useExact) {
    const lcm = (n1 / g) * n2;
    const h = Math.round(d * lcm);
    d = h / lcm;
    if (h === 0) return { d, p: 1, method: 'exact', n1, n2 };
    const p = exactPValue(n1, n2, g, h);
    // The recursions cannot fail in theory; SciPy still guards against a
    // floating-point breakdown by falling back, and so does this port.
    if (p >= 0 && p <= 1) return { d, p, method: 'exact', n1, n2 };
  }
  const p = asymptoticPValue(n1, n2, d);
  return { d, p: Number.isNaN(p) ? p : Math.min(Math.max(p, 0), 1), method: 'asymp', n1, n2 };
}
