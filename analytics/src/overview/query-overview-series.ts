import type { ClickHouseClient } from '@clickhouse/client';
import { dateTime64Param } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { filterColumns, filterSql, overviewKeyExpressions, type OverviewGrouping, type SpanFilters } from './span-filters';
import { queryCostBuckets } from '../costs/query-cost-buckets';
import { rollupAnswer } from './read-spend';
import { emptySpanTotals, spanTotalsColumns, spanTotalsFromRollup, spanTotalsOf, spanTotalsSelect, type SpanTotals, type SpanTotalsRow } from './span-totals';
import { bucketStarts, stackCosts, type SeriesInterval, type StackedCost } from './stack-series';

export interface OverviewSeriesQuery {
  groupBy: OverviewGrouping;
  interval: SeriesInterval;
  from: Date;
  to: Date;
  filters: SpanFilters;
  /** Keys drawn on their own (the rest are "other"). */
  top?: number;
}

export interface OverviewSeries {
  from: string;
  to: string;
  group_by: OverviewGrouping;
  filters: SpanFilters;
  cost: StackedCost;
  /** Per bucket of cost.buckets: calls, tokens, tokens/s, latency and TTFT quantiles, errors, cache hits. */
  metrics: SpanTotals[];
}

const bucketSql: Record<SeriesInterval, string> = {
  hour: "toUnixTimestamp(toStartOfHour(toDateTime(start_time, 'UTC')))",
  day: "toUnixTimestamp(toStartOfDay(toDateTime(start_time, 'UTC')))",
};

/**
 * Cost over time stacked by a grouping, and the operational figures per
 * bucket, for the filtered calls in [from, to). Buckets are UTC hours or
 * days; the edge buckets hold only the part inside the range, so the
 * buckets add up to the overview's totals.
 *
 * Read like `/costs/series` (whole fresh hours and days from the rollups,
 * the rest from raw spans, deduplicated) whenever the rollups can answer:
 * the cost stack without filters by any grouping but provider, the figures
 * without filters or with one on feature, model or user (their quantiles
 * are then t-digest estimates). Anything else is read from raw spans, exact.
 */
export async function queryOverviewSeries(client: ClickHouseClient, database: string, query: OverviewSeriesQuery): Promise<OverviewSeries> {
  const answer = rollupAnswer(query.filters);
  const unfiltered = answer !== undefined && answer.key === undefined;
  const bucketed = { from: query.from, to: query.to, unit: query.interval };
  const [costRows, metricsByBucket] = await Promise.all([
    unfiltered && query.groupBy !== 'provider'
      ? queryCostBuckets(client, database, { ...bucketed, groupBy: query.groupBy, costOnly: true }).then((rows) => rows.map((row) => ({ bucket: row.bucket, key: row.key, cost: row.costPico })))
      : rawCostRows(client, database, query),
    answer
      ? queryCostBuckets(client, database, { ...bucketed, groupBy: answer.groupBy, keep: answer.key === undefined ? [] : [answer.key], withLatency: true }).then(
          (rows) => new Map(rows.filter((row) => row.other === (answer.key === undefined)).map((row) => [row.bucket, spanTotalsFromRollup(row)])),
        )
      : rawMetrics(client, database, query),
  ]);
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  const cost = stackCosts(costRows, { fromMs, toMs, interval: query.interval, top: query.top ?? 8 });
  const metrics = bucketStarts(fromMs, toMs, query.interval).map((start) => metricsByBucket.get(start) ?? emptySpanTotals());
  return { from: query.from.toISOString(), to: query.to.toISOString(), group_by: query.groupBy, filters: query.filters, cost, metrics };
}

function rawSpans(database: string, query: OverviewSeriesQuery) {
  const filter = filterSql(query.filters);
  const params = { ...filter.params, from: dateTime64Param(query.from.getTime()), to: dateTime64Param(query.to.getTime()) };
  const spans = dedupedSpansSql(database, [...filterColumns, ...spanTotalsColumns, 'start_time'], "start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}");
  return { spans, where: filter.sql, params };
}

async function rawCostRows(client: ClickHouseClient, database: string, query: OverviewSeriesQuery): Promise<Array<{ bucket: number; key: string; cost: string }>> {
  const { spans, where, params } = rawSpans(database, query);
  const result = await client.query({
    query: `SELECT ${bucketSql[query.interval]} AS s_bucket, ${overviewKeyExpressions[query.groupBy]} AS s_key, toString(sum(${spanCostDecimal})) AS s_cost
            FROM ${spans} WHERE ${where} GROUP BY s_bucket, s_key`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ s_bucket: number | string; s_key: string; s_cost: string }>();
  return rows.map((row) => ({ bucket: Number(row.s_bucket) * 1000, key: row.s_key, cost: row.s_cost }));
}

async function rawMetrics(client: ClickHouseClient, database: string, query: OverviewSeriesQuery): Promise<Map<number, SpanTotals>> {
  const { spans, where, params } = rawSpans(database, query);
  const result = await client.query({
    query: `SELECT ${bucketSql[query.interval]} AS s_bucket, ${spanTotalsSelect} FROM ${spans} WHERE ${where} GROUP BY s_bucket ORDER BY s_bucket`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await result.json<SpanTotalsRow & { s_bucket: number | string }>();
  return new Map(rows.map((row) => [Number(row.s_bucket) * 1000, spanTotalsOf(row)]));
}
