// Tail probabilities of Student's t distribution with real degrees of freedom.
import { regularizedIncompleteBeta } from './incomplete-beta';

/** P(|T| >= |t|) for T ~ t(df), df > 0 (real). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  // x = df / (df + t^2) and 1 - x = t^2 / (df + t^2), each formed directly so
  // that neither loses digits when the other is close to 1.
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  return regularizedIncompleteBeta(x, df / 2, 0.5, y);
}

/** P(T > t) for T ~ t(df). */
export function studentTSf(t: number, df: number): number {
  const twoSided = studentTTwoSidedP(t, df);
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}
