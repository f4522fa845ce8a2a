/** Points of an empirical CDF, [x, F(x)], ascending: F(x) is the share of values ≤ x. */
export type EcdfPoints = Array<[number, number]>;

/**
 * The ECDF of a sample as at most `maxPoints` steps, for drawing: one point
 * per distinct value, or, for a larger sample, the values at evenly spaced
 * ranks (always with the largest), each with its exact F.
 */
export function ecdfPoints(values: readonly number[], maxPoints = 400): EcdfPoints {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const steps: EcdfPoints = [];
  for (let i = 0; i < n; i++) {
    // The last of equal values carries the step.
    if (i + 1 < n && sorted[i + 1] === sorted[i]) continue;
    steps.push([sorted[i]!, (i + 1) / n]);
  }
  if (steps.length <= maxPoints) return steps;
  const kept: EcdfPoints = [];
  for (let k = 0; k < maxPoints; k++) kept.push(steps[Math.floor((k * (steps.length - 1)) / (maxPoints - 1))]!);
  return kept;
}

/**
 * The two-sample Kolmogorov–Smirnov statistic D = sup |F_a(x) − F_b(x)| and
 * the smallest x where the gap is that large, to mark on the chart.
 */
export function largestGap(a: readonly number[], b: readonly number[]): { d: number; at: number | null } {
  if (a.length === 0 || b.length === 0) return { d: 0, at: null };
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let best = { d: 0, at: null as number | null };
  while (i < sa.length || j < sb.length) {
    // Step both ECDFs past the next value, so ties move together.
    const x = Math.min(sa[i] ?? Number.POSITIVE_INFINITY, sb[j] ?? Number.POSITIVE_INFINITY);
    while (i < sa.length && sa[i] === x) i++;
    while (j < sb.length && sb[j] === x) j++;
    const gap = Math.abs(i / sa.length - j / sb.length);
    if (gap > best.d + 1e-15) best = { d: gap, at: x };
  }
  return best;
}
