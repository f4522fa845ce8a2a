/**
 * How a before-it-ships estimate reads: a short suffix for the inline
 * annotation and a section for the hover.
 */
import type { AnnotationRow } from '@spanlens/core/editor-protocol';
import type { PromptEstimate } from '../annotations/estimate';
import { formatCount, formatPercent, formatUsd } from '../annotations/format';

/** Days in the month a projection is made for; 30 keeps projections comparable across months. */
const DAYS_PER_MONTH = 30;

/**
 * `est. $0.00031/call`, with the change against production's cost per call
 * when there is one (`est. $0.0045/call (+7% vs prod)`). Without a price the
 * estimate says so instead of showing a cost.
 */
export function estimateSuffix(estimate: PromptEstimate, productionPerCall: number | null | undefined): string {
  if (estimate.costUsd === null) return `est. ${formatCount(estimate.inputTokens)} tokens in (unpriced model)`;
  const perCall = `est. ${formatUsd(estimate.costUsd)}/call`;
  if (productionPerCall === null || productionPerCall === undefined || productionPerCall <= 0) return perCall;
  return `${perCall} (${signedPercent(estimate.costUsd / productionPerCall - 1)} vs prod)`;
}

export function estimateSection(estimate: PromptEstimate, row: AnnotationRow | undefined): string {
  const lines = ['**Before it ships** (this text, as written now)', ''];
  const tokenizer = estimate.approximate ? `${estimate.encoding}, an approximation for this model` : estimate.encoding;
  lines.push(`- Tokens: ${formatCount(estimate.inputTokens)} in (${tokenizer}) + ${formatCount(estimate.outputTokens)} out (${row && row.calls > 0 ? 'production mean' : 'assumed'})`);
  if (estimate.costUsd === null) {
    lines.push('- Cost: the price table has no price for this model');
  } else {
    lines.push(`- Cost: ${formatUsd(estimate.costUsd)}/call (${estimate.priceVersion})`);
    if (row && row.calls > 0) {
      lines.push(`- At production volume (${formatCount(row.calls)} calls/24h): ${formatUsd(estimate.costUsd * row.calls * DAYS_PER_MONTH)}/month`);
      if (row.cost_per_call_usd !== null) {
        const difference = estimate.costUsd - row.cost_per_call_usd;
        lines.push(`- Against production (${formatUsd(row.cost_per_call_usd)}/call): ${difference >= 0 ? '+' : '-'}${formatUsd(Math.abs(difference))}/call, ${signedPercent(estimate.costUsd / row.cost_per_call_usd - 1)}, ${difference >= 0 ? '+' : '-'}${formatUsd(Math.abs(difference) * row.calls * DAYS_PER_MONTH)}/month`);
      }
    }
  }
  return lines.join('\n');
}

function signedPercent(change: number): string {
  const text = formatPercent(Math.abs(change));
  if (text === '0%') return '±0%';
  return `${change > 0 ? '+' : '-'}${text}`;
}
