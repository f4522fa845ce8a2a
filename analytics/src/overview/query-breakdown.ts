import type { ClickHouseClient } from '@clickhouse/client';
import { parsePicoUsd, picoToUsd } from '../costs/usd';
import { dateTime64Param } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { filterColumns, filterSql, overviewKeyExpressions, type OverviewGrouping, type SpanFilters } from './span-filters';

export interface BreakdownQuery {
  groupBy: OverviewGrouping;
  /** The second grouping, listed inside each key: e.g. the top users of each feature. */
  then: OverviewGrouping;
  from: Date;
  to: Date;
  filters: SpanFilters;
  /** Inner keys per outer key. */
  limit: number;
}

export interface BreakdownItem {
  key: string;
  cost_usd: number;
  calls: number;
  unpriced_calls: number;
}

export interface Breakdown {
  from: string;
  to: string;
  group_by: OverviewGrouping;
  then: OverviewGrouping;
  filters: SpanFilters;
  /** By cost descending; `top` by cost descending, at most `limit`. */
  rows: Array<BreakdownItem & { top: BreakdownItem[] }>;
}

/** At most this many outer keys, the dearest, so that a grouping by user stays a page. */
const maxRows = 500;

/**
 * Cost per key of one grouping with, inside each, the dearest keys of a
 * second: top users per feature, call sites per prompt. Raw spans,
 * deduplicated, so the figures equal `/costs` for the same range when no
 * filter is set.
 */
export async function queryBreakdown(client: ClickHouseClient, database: string, query: BreakdownQuery): Promise<Breakdown> {
  const filter = filterSql(query.filters);
  const params = { ...filter.params, from: dateTime64Param(query.from.getTime()), to: dateTime64Param(query.to.getTime()), limit: query.limit, max_rows: maxRows };
  const spans = dedupedSpansSql(database, [...filterColumns, 'cost_usd', 'unpriced', 'start_time'], "start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}");
  const outer = overviewKeyExpressions[query.groupBy];
  const inner = overviewKeyExpressions[query.then];
  // Aliases are prefixed so that none shadows a column (ClickHouse resolves aliases before columns).
  const sums = `toString(sum(${spanCostDecimal})) AS b_cost, count() AS b_calls, countIf(unpriced) AS b_unpriced`;
  type Row = { b_outer: string; b_inner?: string; b_cost: string; b_calls: number | string; b_unpriced: number | string };
  const [outerRows, innerRows] = await Promise.all([
    client
      .query({
        query: `SELECT ${outer} AS b_outer, ${sums} FROM ${spans} WHERE ${filter.sql}
                GROUP BY b_outer ORDER BY toDecimal128(b_cost, 12) DESC, b_outer LIMIT {max_rows:UInt32}`,
        query_params: params,
        format: 'JSONEachRow',
      })
      .then((result) => result.json<Row>()),
    client
      .query({
        query: `SELECT ${outer} AS b_outer, ${inner} AS b_inner, ${sums} FROM ${spans} WHERE ${filter.sql}
                GROUP BY b_outer, b_inner ORDER BY b_outer, toDecimal128(b_cost, 12) DESC, b_inner LIMIT {limit:UInt32} BY b_outer`,
        query_params: params,
        format: 'JSONEachRow',
      })
      .then((result) => result.json<Row>()),
  ]);
  const item = (row: Row, key: string): BreakdownItem => ({ key, cost_usd: picoToUsd(parsePicoUsd(row.b_cost)), calls: Number(row.b_calls), unpriced_calls: Number(row.b_unpriced) });
  const tops = new Map<string, BreakdownItem[]>();
  for (const row of innerRows) {
    const list = tops.get(row.b_outer) ?? [];
    list.push(item(row, row.b_inner ?? ''));
    tops.set(row.b_outer, list);
  }
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    group_by: query.groupBy,
    then: query.then,
    filters: query.filters,
    rows: outerRows.map((row) => ({ ...item(row, row.b_outer), top: tops.get(row.b_outer) ?? [] })),
  };
}
