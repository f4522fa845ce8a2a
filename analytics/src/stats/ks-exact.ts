// Exact null distribution of the two-sided two-sample Kolmogorov-Smirnov
// statistic, ported from SciPy's ks_2samp ('exact' branch) so that p-values
// agree with SciPy to rounding.
//
// Both samples' sizes are integers and D only takes values h / lcm(m, n), so
// P(D >= h / lcm) counts monotone lattice paths from (0, 0) to (m, n) that
// touch the band |x/m - y/n| >= h / lcm (Hodges 1958; Viehmann 2021 for the
// recursion on 1 - p, which keeps every intermediate value in [0, 1]).

/**
 * P(D >= h / n) for two samples of equal size n, 0 < h <= n. The alternating
 * reflection sum 2 * sum_k (-1)^(k+1) C(2n, n - kh) / C(2n, n) cancels badly,
 * so each ratio is built as a product of h factors and the sum is evaluated
 * Horner-style: P = 2 A0 (1 - A1 (1 - A2 (1 - ...))).
 */
export function probabilityOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) {
      ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    }
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D >= h / lcm(m, n)) for samples of sizes m and n with gcd g. Walks the
 * lattice column by column, keeping only the band of rows that are still
 * inside |n x / g - m y / g| < h; each entry holds the probability that a
 * path reaching that point has already left the band, so the last entry of
 * the last column is the p-value. Cost is O(m * band width).
 */
export function probabilityOutsideBand(sizeA: number, sizeB: number, g: number, h: number): number {
  const m = Math.max(sizeA, sizeB);
  const n = Math.min(sizeA, sizeB);
  const mg = m / g;
  const ng = n / g;
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const column = new Float64Array(lenA).fill(1);
  column.fill(0, minj, maxj);
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1;
    // Reading index jj + minj - lastminj >= jj before writing index jj keeps
    // the in-place update correct, since the band only moves up.
    let value = minj === 0 ? 0 : 1;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      value = ((column[jj + minj - lastminj] as number) * i + value * j) / (i + j);
      column[jj] = value;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      // Rows that fell out of the band are outside for good: probability 1.
      column.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
    }
  }
  return column[maxj - minj - 1] as number;
}
