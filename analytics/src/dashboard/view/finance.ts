/**
 * A feature's margin: its revenue over the range less its AI cost, rounded
 * to the nanodollar like every figure of the report; null when no revenue is
 * configured for it (unknown, not zero).
 */
export function featureMargin(revenueUsd: number | null | undefined, costUsd: number): number | null {
  if (revenueUsd === null || revenueUsd === undefined) return null;
  return Math.round((revenueUsd - costUsd) * 1e9) / 1e9;
}

/** The report's query string for a grouping and range: the same URL the CLI's report and the download use. */
export function reportQuery(by: 'feature' | 'user' | 'model' | 'prompt', range: { from: Date; to: Date }, format: 'json' | 'csv' | 'html'): string {
  return new URLSearchParams({ by, from: range.from.toISOString(), to: range.to.toISOString(), format }).toString();
}
