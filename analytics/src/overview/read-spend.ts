import type { ClickHouseClient } from '@clickhouse/client';
import type { CostGrouping } from '@spanlens/core';
import { queryCostBuckets } from '../costs/query-cost-buckets';
import { parsePicoUsd, picoToUsd } from '../costs/usd';
import { dateTime64Param, type HourStates } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { filterColumns, filterSql, type SpanFilters } from './span-filters';
import type { SpendWindow } from './spend-windows';

export type SpendFigure = SpendWindow & { cost_usd: number; previous_cost_usd: number; change_ratio: number | null };

/**
 * The rollup grouping that answers a set of filters exactly, and the key to
 * keep (undefined: every key): no filter, or one on feature, model or user.
 * Any other set is read from raw spans. Without a filter every grouping sums
 * to the same totals; models are the fewest keys, so the fewest rows and
 * t-digests to merge.
 */
export function rollupAnswer(filters: SpanFilters): { groupBy: CostGrouping; key?: string } | undefined {
  const set = Object.entries(filters).filter(([, value]) => value !== undefined && value !== '');
  if (set.length === 0) return { groupBy: 'model' };
  if (set.length > 1) return undefined;
  const [name, value] = set[0]!;
  return name === 'feature' || name === 'model' || name === 'user' ? { groupBy: name, key: value } : undefined;
}

/**
 * Spend over each window and the one before it. Sixty days of calls on
 * every page load and refresh is the overview's largest read, so when the
 * rollup can answer (see rollupAnswer) it is read the way `/costs` reads,
 * whole fresh hours from the rollup and the edges from raw spans: the same
 * figures as `/costs` for the window, to the picodollar.
 */
export async function readSpend(client: ClickHouseClient, database: string, windows: SpendWindow[], filters: SpanFilters, knownStates?: HourStates): Promise<SpendFigure[]> {
  const answer = rollupAnswer(filters);
  const sums = answer ? await spendFromRollup(client, database, windows, answer, knownStates) : await spendFromSpans(client, database, windows, filters);
  return windows.map((window, i) => {
    const cost = picoToUsd(sums[i]!.current);
    const previous = picoToUsd(sums[i]!.previous);
    return { ...window, cost_usd: cost, previous_cost_usd: previous, change_ratio: previous > 0 ? (cost - previous) / previous : null };
  });
}

type Sums = Array<{ current: bigint; previous: bigint }>;

async function spendFromRollup(client: ClickHouseClient, database: string, windows: SpendWindow[], answer: { groupBy: CostGrouping; key?: string }, knownStates?: HourStates): Promise<Sums> {
  const total = async (from: string, to: string) => {
    if (from >= to) return 0n;
    const rows = await queryCostBuckets(client, database, { groupBy: answer.groupBy, from: new Date(from), to: new Date(to), unit: 'all', costOnly: true, knownStates });
    return rows.filter((row) => answer.key === undefined || row.key === answer.key).reduce((sum, row) => sum + row.costPico, 0n);
  };
  return Promise.all(windows.map(async (window) => ({ current: await total(window.from, window.to), previous: await total(window.previous_from, window.previous_to) })));
}

async function spendFromSpans(client: ClickHouseClient, database: string, windows: SpendWindow[], filters: SpanFilters): Promise<Sums> {
  const filter = filterSql(filters);
  const params: Record<string, string> = { ...filter.params };
  const between = (from: string, to: string) => `start_time >= {${from}:DateTime64(3, 'UTC')} AND start_time < {${to}:DateTime64(3, 'UTC')}`;
  const sums: string[] = [];
  const edges: number[] = [];
  windows.forEach((window, i) => {
    for (const [side, from, to] of [['cur', window.from, window.to], ['prev', window.previous_from, window.previous_to]] as const) {
      params[`${side}_from_${i}`] = dateTime64Param(Date.parse(from));
      params[`${side}_to_${i}`] = dateTime64Param(Date.parse(to));
      // Prefixed aliases: none may shadow a column in the WHERE.
      sums.push(`toString(sumIf(${spanCostDecimal}, ${between(`${side}_from_${i}`, `${side}_to_${i}`)})) AS s_${side}_${i}`);
      edges.push(Date.parse(from), Date.parse(to));
    }
  });
  params.all_from = dateTime64Param(Math.min(...edges));
  params.all_to = dateTime64Param(Math.max(...edges));
  const spans = dedupedSpansSql(database, [...filterColumns, 'cost_usd', 'start_time'], between('all_from', 'all_to'));
  const result = await client.query({ query: `SELECT ${sums.join(', ')} FROM ${spans} WHERE ${filter.sql}`, query_params: params, format: 'JSONEachRow' });
  const [row] = await result.json<Record<string, string>>();
  return windows.map((_, i) => ({ current: parsePicoUsd(row![`s_cur_${i}`] ?? '0'), previous: parsePicoUsd(row![`s_prev_${i}`] ?? '0') }));
}
