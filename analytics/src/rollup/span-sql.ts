import { costGroupings, tableName, type CostGrouping } from '@spanlens/core';

/**
 * A span's cost as an exact decimal of 12 places (picodollars). Both the
 * rollup and raw reads sum this same expression, so their sums are identical
 * regardless of how rows are grouped or ordered. The float is rounded to
 * whole picodollars first because a direct toDecimal128(x, 12) truncates
 * (0.00013 becomes 0.000129999999), an error that adds up over millions of
 * spans; an unpriced span adds nothing here and is counted as unpriced.
 */
export const spanCostDecimal =
  "toDecimal128(toInt128(round(ifNull(cost_usd, 0) * 1e12)), 0) * toDecimal128('0.000000000001', 12)";

/**
 * A subquery of `columns` from llm_spans matching `where`, with each span
 * once: a span delivered twice is folded by ReplacingMergeTree only when
 * parts merge, so readers fold the copies at read time. Both copies of a
 * span share its sorting key (toStartOfHour(start_time), trace_id, span_id),
 * so FINAL keeps exactly one, the latest by received_at, and any time filter
 * keeps or drops them together.
 *
 * FINAL rather than `ORDER BY received_at DESC LIMIT 1 BY trace_id, span_id`
 * (the same rows): measured over 1M spans of 30 days, FINAL takes 164 ms
 * where the sort takes 560 ms and a read without any folding 71 ms
 * (bench/dedupe-probe.ts), because it folds within each sorted part range in
 * parallel instead of sorting the whole range.
 */
export function dedupedSpansSql(database: string, columns: readonly string[], where: string): string {
  return `(SELECT trace_id, span_id, ${columns.join(', ')}
           FROM ${tableName(database, 'llm_spans')} FINAL
           WHERE ${where})`;
}

/**
 * The report key of each grouping, as SQL over llm_spans columns. A span that
 * did not say (no feature, no user, no prompt id, no file) falls under the key
 * "". A prompt is `id@version`, or `id` when it has no version; a call site is
 * `file:line` with the file path as the span reported it.
 */
export const costKeyExpressions: Record<CostGrouping, string> = {
  feature: 'toString(feature)',
  user: 'user_id',
  model: 'toString(model)',
  prompt: "if(prompt_id = '', '', if(prompt_version = '', toString(prompt_id), concat(prompt_id, '@', prompt_version)))",
  callsite: "if(code_file_path = '', '', concat(code_file_path, ':', toString(code_line_number)))",
};

/** The llm_spans columns the key expressions read. */
export const costKeyColumns = ['feature', 'user_id', 'model', 'prompt_id', 'prompt_version', 'code_file_path', 'code_line_number'] as const;

/** One (dimension, key) pair per grouping for each span, for the rollup's arrayJoin. */
export const dimensionKeyPairsSql = `[${costGroupings.map((grouping) => `('${grouping}', ${costKeyExpressions[grouping]})`).join(', ')}]`;

/** The rollup columns behind the dashboard's overview (migration 9), in the order the next two expressions give them. */
export const overviewRollupColumns = 'gen_duration_ms_sum, ttft_calls, ttft_state';

/** Over raw spans: the call time of the calls that produced output (for tokens per second). */
export const generationMsFromSpans = 'sumIf(duration_ms, output_tokens > 0)';
/** Over raw spans: the calls that reported a time to first token. */
export const ttftCallsFromSpans = 'countIf(ttft_ms IS NOT NULL)';
/** Over raw spans: the t-digest state of time to first token, where reported. */
export const ttftStateFromSpans = 'quantilesTDigestStateIf(0.5, 0.95, 0.99)(assumeNotNull(ttft_ms), ttft_ms IS NOT NULL)';

/** overviewRollupColumns over raw spans. */
export const overviewRollupFromSpans = `${generationMsFromSpans}, ${ttftCallsFromSpans}, ${ttftStateFromSpans}`;

/** overviewRollupColumns over rollup rows (hours into a day). */
export const overviewRollupFromRollup = 'sum(gen_duration_ms_sum), sum(ttft_calls), quantilesTDigestMergeState(0.5, 0.95, 0.99)(ttft_state)';
