import type { ClickHouseClient } from '@clickhouse/client';
import { dateTime64Param } from '../rollup/hour-states';
import { costKeyExpressions, dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { satisfactionSql } from '../satisfaction/satisfaction-sql';

/** What the editor annotates: call sites (`file:line`) or prompts (`id@version`). */
export type AnnotationSubject = 'callsite' | 'prompt';

export interface AnnotationRow {
  key: string;
  /** For call sites: the file, line and function the spans reported. */
  file?: string;
  line?: number;
  function?: string;
  calls: number;
  cost_usd: number;
  /** Per priced call; null when every call was unpriced. */
  cost_per_call_usd: number | null;
  unpriced_calls: number;
  p95_ms: number;
  error_rate: number;
  tokens: { input: number; output: number; cached: number };
  models: Array<{ model: string; calls: number; cost_usd: number }>;
  /** The same window one week earlier, for the trend. */
  previous_week: { calls: number; cost_usd: number };
  satisfaction: { votes: number; positive: number; rate: number | null };
  /** Prompt keys (`id@version`) called from here in the window, for alert and drift diagnostics; at most 10. */
  prompts: string[];
}

export interface AnnotationsReport {
  subject: AnnotationSubject;
  from: string;
  to: string;
  rows: AnnotationRow[];
}

const WEEK_MS = 7 * 24 * 3_600_000;

/**
 * Per call site or prompt over [from, to): what the language server shows
 * above each call and in its hover. Read from raw spans (deduplicated), which
 * a 24 h window keeps small; the week-earlier figures come from the same query.
 */
export async function queryAnnotations(client: ClickHouseClient, database: string, options: { subject: AnnotationSubject; from: Date; to: Date }): Promise<AnnotationsReport> {
  const key = costKeyExpressions[options.subject];
  const params = {
    from: dateTime64Param(options.from.getTime()),
    to: dateTime64Param(options.to.getTime()),
    prev_from: dateTime64Param(options.from.getTime() - WEEK_MS),
    prev_to: dateTime64Param(options.to.getTime() - WEEK_MS),
  };
  const inWindow = "start_time >= {from:DateTime64(3, 'UTC')}";
  const spans = dedupedSpansSql(
    database,
    ['feature', 'model', 'prompt_id', 'prompt_version', 'code_file_path', 'code_line_number', 'code_function_name', 'cost_usd', 'unpriced', 'duration_ms', 'is_error', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'start_time'],
    "((start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}) OR (start_time >= {prev_from:DateTime64(3, 'UTC')} AND start_time < {prev_to:DateTime64(3, 'UTC')}))",
  );
  const result = await client.query({
    query: `SELECT ${key} AS key, any(code_file_path) AS file, any(code_line_number) AS line, any(code_function_name) AS fn,
                   countIf(${inWindow}) AS calls, toString(sumIf(${spanCostDecimal}, ${inWindow})) AS cost, countIf(unpriced AND ${inWindow}) AS unpriced_calls,
                   quantileExactIf(0.95)(duration_ms, ${inWindow}) AS p95_ms, countIf(is_error AND ${inWindow}) AS errors,
                   sumIf(input_tokens, ${inWindow}) AS input_tokens, sumIf(output_tokens, ${inWindow}) AS output_tokens, sumIf(cache_read_tokens, ${inWindow}) AS cached_tokens,
                   countIf(NOT ${inWindow}) AS prev_calls, toString(sumIf(${spanCostDecimal}, NOT ${inWindow})) AS prev_cost,
                   arraySort(x -> -x.2, groupArrayIf((toString(model), 1), ${inWindow})) AS model_calls,
                   sumMapIf(map(toString(model), toFloat64(ifNull(cost_usd, 0))), ${inWindow}) AS model_cost,
                   arraySort(groupUniqArrayIf(10)(${costKeyExpressions.prompt}, ${inWindow} AND prompt_id != '')) AS prompt_keys
            FROM ${spans}
            WHERE ${key} != ''
            GROUP BY key
            HAVING calls > 0
            ORDER BY toDecimal128(cost, 12) DESC, key`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  const votes = await client.query({ query: satisfactionSql(database, [options.subject]), query_params: { start: params.from, end: params.to }, format: 'JSONEachRow' });
  const votesByKey = new Map((await votes.json<{ dimension: string; key: string; votes: string; positive: string }>()).filter((v) => v.dimension === options.subject).map((v) => [v.key, v]));

  return {
    subject: options.subject,
    from: options.from.toISOString(),
    to: options.to.toISOString(),
    rows: rows.map((row) => {
      const calls = Number(row.calls);
      const cost = Number(row.cost);
      const unpriced = Number(row.unpriced_calls);
      const modelCalls = new Map<string, number>();
      for (const [model] of row.model_calls as Array<[string, number]>) modelCalls.set(model, (modelCalls.get(model) ?? 0) + 1);
      const modelCost = row.model_cost as Record<string, number>;
      const vote = votesByKey.get(String(row.key));
      const voteCount = Number(vote?.votes ?? 0);
      const positive = Number(vote?.positive ?? 0);
      return {
        key: String(row.key),
        ...(options.subject === 'callsite' ? { file: String(row.file), line: Number(row.line), function: String(row.fn) } : {}),
        calls,
        cost_usd: cost,
        cost_per_call_usd: calls - unpriced > 0 ? cost / (calls - unpriced) : null,
        unpriced_calls: unpriced,
        p95_ms: Number(row.p95_ms),
        error_rate: calls > 0 ? Number(row.errors) / calls : 0,
        tokens: { input: Number(row.input_tokens), output: Number(row.output_tokens), cached: Number(row.cached_tokens) },
        models: [...modelCalls].map(([model, n]) => ({ model, calls: n, cost_usd: Number(modelCost[model] ?? 0) })).sort((a, b) => b.calls - a.calls || (a.model < b.model ? -1 : 1)),
        previous_week: { calls: Number(row.prev_calls), cost_usd: Number(row.prev_cost) },
        satisfaction: { votes: voteCount, positive, rate: voteCount > 0 ? positive / voteCount : null },
        prompts: (row.prompt_keys as string[]).map(String),
      };
    }),
  };
}
