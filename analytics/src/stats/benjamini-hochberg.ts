// Benjamini-Hochberg adjusted p-values, as scipy.stats.false_discovery_control
// (method='bh') and statsmodels' multipletests(method='fdr_bh') compute them.
// Rejecting every hypothesis whose adjusted p is below alpha controls the
// false discovery rate at alpha across the family.

/**
 * Adjusted p-values in the order given: p_(i) * m / i over the ascending
 * order, made monotone by a running minimum from the largest down, capped at 1.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  // As SciPy does, refuse what is not a probability: a NaN would silently
  // scramble the sort and with it every other adjusted value.
  const invalid = pValues.find((p) => !(p >= 0 && p <= 1));
  if (invalid !== undefined) throw new RangeError(`benjaminiHochberg: p-values must lie in [0, 1], got ${invalid}`);
  const m = pValues.length;
  // A stable sort keeps tied p-values in input order, as numpy's argsort does
  // for the small arrays used here; ties get equal adjusted values anyway.
  const order = pValues.map((_, index) => index).sort((x, y) => (pValues[x] as number) - (pValues[y] as number));
  const adjusted = new Array<number>(m);
  let runningMin = Infinity;
  for (let rank = m; rank >= 1; rank--) {
    const index = order[rank - 1] as number;
    // (m / rank) first, as SciPy multiplies by that ratio: identical rounding.
    const scaled = (pValues[index] as number) * (m / rank);
    runningMin = Math.min(runningMin, scaled);
    adjusted[index] = Math.min(Math.max(runningMin, 0), 1);
  }
  return adjusted;
}
