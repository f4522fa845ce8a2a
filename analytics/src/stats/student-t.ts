// Tail probabilities of Student's t distribution with real degrees of freedom.
import { regularizedIncompleteBetaAt } from './incomplete-beta';

/** P(|T| >= |t|) for T ~ t(df), df > 0 (real). */
export function studentTTwoSidedP(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  // P(|T| >= |t|) = I_x(df/2, 1/2) with x = df / (df + t^2). x and
  // y = 1 - x = t^2 / (df + t^2) and their logarithms are each formed
  // directly, so that none loses digits when x or y is close to 1.
  const x = df / (df + t2);
  const y = t2 / (df + t2);
  const logX = -Math.log1p(t2 / df);
  const logY = Math.log(t2) - Math.log(df + t2);
  return regularizedIncompleteBetaAt({ x, y, logX, logY }, df / 2, 0.5);
}

/** P(T > t) for T ~ t(df). */
export function studentTSf(t: number, df: number): number {
  const twoSided = studentTTwoSidedP(t, df);
  return t >= 0 ? twoSided / 2 : 1 - twoSided / 2;
}
