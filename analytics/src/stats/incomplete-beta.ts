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
 * I_x(a, b) for 0 <= x <= 1, a, b > 0. The caller passes y = 1 - x as well
 * when it knows it more precisely than 1 - x would give (e.g. t^2/(df + t^2)).
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number, y: number = 1 - x): number {
  if (Number.isNaN(x) || Number.isNaN(y) || !(a > 0) || !(b > 0)) return Number.NaN;
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - logBeta(a, b);
  if (x < (a + 1) / (a + b + 2)) {
    return (Math.exp(logFront) * continuedFraction(x, a, b)) / a;
  }
  return 1 - (Math.exp(logFront) * continuedFraction(y, b, a)) / b;
}
