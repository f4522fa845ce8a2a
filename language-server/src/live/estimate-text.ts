/**
 * How a before-it-ships estimate reads: a short suffix for the inline
 * annotation and a section for the hover.
 */
import type { PriceSource } from '@spanlens/core/pricing';
import type { PromptEstimate } from '../annotations/estimate';
import { formatCount, formatPercent, formatUsd } from '../annotations/format';
import { versionOf, type ProductionBaseline } from './production-baseline';

/** How the hover names where a price came from (the server's precedence: API, then config, then catalogue). */
const priceSources: Record<PriceSource, string> = { api: 'api override', config: 'config', catalog: 'catalog', none: 'none' };

/** Days in the month a projection is made for; 30 keeps projections comparable across months. */
const DAYS_PER_MONTH = 30;

/**
 * `est. $0.00031/call`, with the change against production's cost per call
 * when there is one: `est. $0.0045/call (+7% vs prod)`, or, when production
 * runs another version of the prompt, `(+7% vs v3 in prod)`. Without a price
 * the estimate says so instead of showing a cost.
 */
export function estimateSuffix(estimate: PromptEstimate, baseline: ProductionBaseline | undefined): string {
  if (estimate.costUsd === null) return `est. ${formatCount(estimate.inputTokens)} tokens in (unpriced model)`;
  const perCall = `est. ${formatUsd(estimate.costUsd)}/call`;
  const production = baseline?.row.cost_per_call_usd ?? null;
  if (production === null || production <= 0) return perCall;
  const against = baseline?.otherVersion === undefined ? 'prod' : `v${versionOf(baseline.otherVersion)} in prod`;
  return `${perCall} (${signedPercent(estimate.costUsd / production - 1)} vs ${against})`;
}

export function estimateSection(estimate: PromptEstimate, baseline: ProductionBaseline | undefined): string {
  const lines = ['**Before it ships** (this text, as written now)', ''];
  const tokenizer = estimate.approximate ? `${estimate.encoding}, an approximation for this model` : estimate.encoding;
  const outputSource = baseline === undefined ? 'assumed' : baseline.otherVersion === undefined ? 'production mean' : `production mean of ${baseline.otherVersion}`;
  lines.push(`- Tokens: ${formatCount(estimate.inputTokens)} in (${tokenizer}) + ${formatCount(estimate.outputTokens)} out (${outputSource})`);
  if (estimate.costUsd === null) {
    lines.push('- Cost: the price table has no price for this model');
    return lines.join('\n');
  }
  lines.push(`- Cost: ${formatUsd(estimate.costUsd)}/call (price: ${priceSources[estimate.priceSource]}, ${estimate.priceVersion})`);
  if (baseline === undefined) return lines.join('\n');
  const { row, otherVersion } = baseline;
  const volume = otherVersion === undefined ? 'production volume' : `the production volume of ${otherVersion}`;
  lines.push(`- At ${volume} (${formatCount(row.calls)} calls/24h): ${formatUsd(estimate.costUsd * row.calls * DAYS_PER_MONTH)}/month`);
  if (row.cost_per_call_usd !== null) {
    const difference = estimate.costUsd - row.cost_per_call_usd;
    const sign = difference >= 0 ? '+' : '-';
    const against = otherVersion === undefined ? 'production' : `${otherVersion} in production`;
    lines.push(`- Against ${against} (${formatUsd(row.cost_per_call_usd)}/call): ${sign}${formatUsd(Math.abs(difference))}/call, ${signedPercent(estimate.costUsd / row.cost_per_call_usd - 1)}, ${sign}${formatUsd(Math.abs(difference) * row.calls * DAYS_PER_MONTH)}/month`);
  }
  return lines.join('\n');
}

function signedPercent(change: number): string {
  const text = formatPercent(Math.abs(change));
  if (text === '0%') return '±0%';
  return `${change > 0 ? '+' : '-'}${text}`;
}
