import { formatCount, formatDuration, formatPercent, formatUsd } from './format';

/** What the inline annotation of one call site or prompt template is made from. */
export interface AnnotationStats {
  /** Mean cost of one call; null when the model has no price. */
  costPerCall: number | null;
  calls24h: number;
  cost24h: number;
  p95Ms: number | null;
  /** Share of thumbs-up among feedback votes; null when nobody voted. */
  satisfaction: { rate: number | null; votes: number } | null;
  /** Set when the calls were made with a model the price table does not know. */
  unpriced?: boolean;
}

const separator = ' · ';

/**
 * The one-line annotation shown after a call site, e.g.
 * `$0.0042/call · 12.3k calls · $51.70/24h · p95 1.8s · 👍 91%`.
 *
 * Parts without data are left out rather than shown as zero, because a zero
 * would read as a measurement. Costs of an unpriced model are replaced by
 * `unpriced model`, so nobody mistakes them for free. A call site with no
 * calls in the window says so, keeping a per-call cost known from earlier.
 */
export function annotationText(stats: AnnotationStats): string {
  const unpriced = stats.unpriced === true || stats.costPerCall === null;
  const perCall = unpriced ? 'unpriced model' : `${formatUsd(stats.costPerCall ?? 0)}/call`;

  if (stats.calls24h <= 0) {
    return stats.costPerCall === null || stats.unpriced ? 'no calls in 24h' : [perCall, 'no calls in 24h'].join(separator);
  }

  const parts = [perCall, `${formatCount(stats.calls24h)} ${stats.calls24h === 1 ? 'call' : 'calls'}`];
  if (!unpriced) parts.push(`${formatUsd(stats.cost24h)}/24h`);
  if (stats.p95Ms !== null) parts.push(`p95 ${formatDuration(stats.p95Ms)}`);
  const satisfaction = stats.satisfaction;
  if (satisfaction && satisfaction.rate !== null && satisfaction.votes > 0) parts.push(`👍 ${formatPercent(satisfaction.rate)}`);
  return parts.join(separator);
}
