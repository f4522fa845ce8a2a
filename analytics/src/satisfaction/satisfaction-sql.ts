import { tableName, type CostGrouping } from '@spanlens/core';
import { costKeyExpressions, dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';

/** The groupings satisfaction is computed for. */
export const satisfactionDimensions = ['feature', 'prompt', 'model'] as const;
export type SatisfactionDimension = (typeof satisfactionDimensions)[number];

/** The row of the query that counts votes for traces Spanlens has not stored. */
export const unattributedDimension = 'unattributed';

const pairsOf = (dimensions: readonly CostGrouping[]) => `[${dimensions.map((dimension) => `('${dimension}', ${costKeyExpressions[dimension]})`).join(', ')}]`;
const keyColumns = ['feature', 'prompt_id', 'prompt_version', 'model', 'code_file_path', 'code_line_number'];

/**
 * Votes per (dimension, key) for feedback given in [start, end), and the
 * calls and exact cost of the calls started in the same window.
 *
 * A vote is the latest version of a feedback id; it is positive when its
 * score is at least 0.5 (a thumbs up is 1, a thumbs down -1, a rating is
 * between 0 and 1). Feedback that names a span counts for that span's
 * feature, prompt and model; feedback on a whole trace counts for the trace's
 * last LLM call, the answer the user saw. Feedback for a trace Spanlens has
 * not stored is counted apart as unattributed.
 */
export function satisfactionSql(database: string, dimensions: readonly CostGrouping[] = satisfactionDimensions): string {
  const pairs = pairsOf(dimensions);
  const feedback = tableName(database, 'feedback');
  const spansOfRatedTraces = dedupedSpansSql(
    database,
    [...keyColumns, 'end_time'],
    `trace_id IN (SELECT trace_id FROM votes)`,
  );
  return `
    WITH votes AS (
      SELECT feedback_id,
             argMax(trace_id, received_at) AS trace_id,
             argMax(span_id, received_at) AS span_id,
             argMax(score, received_at) >= 0.5 AS positive
      FROM ${feedback}
      WHERE created_at >= {start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
      GROUP BY feedback_id
    ),
    rated AS (
      SELECT * FROM ${spansOfRatedTraces}
    ),
    last_of_trace AS (
      SELECT trace_id, argMax(span_id, end_time) AS span_id FROM rated GROUP BY trace_id
    ),
    attributed AS (
      SELECT v.positive AS positive, r.feature AS feature, r.prompt_id AS prompt_id, r.prompt_version AS prompt_version, r.model AS model,
             r.code_file_path AS code_file_path, r.code_line_number AS code_line_number, r.trace_id != '' AS found
      FROM votes AS v
      LEFT JOIN last_of_trace AS l ON l.trace_id = v.trace_id
      LEFT JOIN rated AS r ON r.trace_id = v.trace_id AND r.span_id = if(v.span_id = '', l.span_id, v.span_id)
    ),
    vote_counts AS (
      SELECT pair.1 AS dimension, pair.2 AS key, count() AS votes, countIf(positive) AS positive
      FROM attributed
      ARRAY JOIN ${pairs} AS pair
      WHERE found
      GROUP BY dimension, key
    ),
    call_counts AS (
      SELECT pair.1 AS dimension, pair.2 AS key, count() AS calls, sum(${spanCostDecimal}) AS cost_usd
      FROM ${dedupedSpansSql(database, [...keyColumns, 'cost_usd'], "start_time >= {start:DateTime64(3, 'UTC')} AND start_time < {end:DateTime64(3, 'UTC')}")}
      ARRAY JOIN ${pairs} AS pair
      GROUP BY dimension, key
    )
    SELECT v.dimension AS dimension, v.key AS key, v.votes AS votes, v.positive AS positive,
           c.calls AS calls, toString(c.cost_usd) AS cost_usd
    FROM vote_counts AS v
    LEFT JOIN call_counts AS c ON c.dimension = v.dimension AND c.key = v.key
    UNION ALL
    SELECT '${unattributedDimension}', '', countIf(NOT found), 0, 0, '0' FROM attributed
    SETTINGS join_use_nulls = 0`;
}
