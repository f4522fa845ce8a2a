import { tableName } from '@spanlens/core';

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
 * parts merge, so readers keep the latest copy themselves rather than
 * relying on merges or paying for FINAL. Both copies of a span share its
 * start_time, so any time filter keeps or drops them together.
 */
export function dedupedSpansSql(database: string, columns: readonly string[], where: string): string {
  return `(SELECT trace_id, span_id, ${columns.join(', ')}
           FROM ${tableName(database, 'llm_spans')}
           WHERE ${where}
           ORDER BY received_at DESC
           LIMIT 1 BY trace_id, span_id)`;
}

/** The dimensions the hourly rollup keeps, in its sorting-key order. */
export const rollupDimensions = [
  'feature', 'user_id', 'model', 'prompt_id', 'prompt_version', 'code_file_path', 'code_line_number', 'provider', 'service_name',
] as const;
