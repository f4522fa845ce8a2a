// The regularized incomplete beta function I_x(a, b), the core of the
// Student-t tail. The continued fraction (Numerical Recipes' betacf, evaluated
// with the modified Lentz method) converges quickly for x < (a + 1) / (a + b + 2);
// beyond that the symmetry I_x(a, b) = 1 - I_{1-x}(b, a) is used.
import { logBeta } from './log-gamma';

const EPSILON = 1e-16;
const TINY = 1e-300;
// The fraction needs O(sqrt(max(a, b))) terms; this bounds df near 1e9.
const MAX_ITERATIONS = 100_000;

function continuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) break;
  }
  return h;
}

/**
 * The argument of I_x(a, b) in the form that keeps full precision near both
 * ends: x, y = 1 - x and their logarithms, each formed by the caller from
 * the quantities it has (for Student's t, ln x = -log1p(t^2/df) is exact
 * where ln(df / (df + t^2)) would lose ~1e-11 relative at df = 1e6).
 */
export interface BetaArgument {
  x: number;
  y: number;
  logX: number;
  logY: number;
}

export function regularizedIncompleteBetaAt(argument: BetaArgument, a: number, b: number): number {
  const { x, y, logX, logY } = argument;
  if (Number.isNaN(x) || Number.isNaN(y) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const front = Math.exp(a * logX + b * logY - logBeta(a, b));
  if (x >= (a + 1) / (a + b + 2)) return 1 - (front * continuedFraction(y, b, a)) / b;
  // Below the switch point the direct fraction converges, but for large a
  // and x near 1 it amplifies the rounding of x by its condition number
  // (a + 1) / (1 - b + (a + b) y): ~1e-11 relative at a = 5e5. The
  // complementary fraction still converges fast there (small (a + b) y), and
  // it is accurate as long as the answer is not itself tiny.
  const condition = (a + 1) / (1 - b + (a + b) * y);
  if (condition > 100 && (a + b) * y < 50) {
    const complement = 1 - (front * continuedFraction(y, b, a)) / b;
    if (complement >= 1e-3) return complement;
  }
  return (front * continuedFraction(x, a, b)) / a;
}

/** I_x(a, b) for 0 <= x <= 1, a, b > 0. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  return regularizedIncompleteBetaAt({ x, y: 1 - x, logX: Math.log(x), logY: Math.log1p(-x) }, a, b);
}
