import type { ClickHouseClient } from '@clickhouse/client';
import { dateTime64Param } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { filterColumns, filterSql, overviewKeyExpressions, type OverviewGrouping, type SpanFilters } from './span-filters';
import { spanTotalsColumns, spanTotalsOf, spanTotalsSelect, type SpanTotals, type SpanTotalsRow } from './span-totals';
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
 * bucket, for the filtered calls in [from, to), from raw spans
 * (deduplicated). Buckets are UTC hours or days; the edge buckets hold only
 * the part inside the range, so the buckets add up to the overview's totals.
 */
export async function queryOverviewSeries(client: ClickHouseClient, database: string, query: OverviewSeriesQuery): Promise<OverviewSeries> {
  const filter = filterSql(query.filters);
  const params = { ...filter.params, from: dateTime64Param(query.from.getTime()), to: dateTime64Param(query.to.getTime()) };
  const spans = dedupedSpansSql(database, [...filterColumns, ...spanTotalsColumns, 'start_time'], "start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}");
  const [costRows, metricRows] = await Promise.all([
    client
      .query({
        query: `SELECT ${bucketSql[query.interval]} AS s_bucket, ${overviewKeyExpressions[query.groupBy]} AS s_key, toString(sum(${spanCostDecimal})) AS s_cost
                FROM ${spans} WHERE ${filter.sql} GROUP BY s_bucket, s_key`,
        query_params: params,
        format: 'JSONEachRow',
      })
      .then((result) => result.json<{ s_bucket: number | string; s_key: string; s_cost: string }>()),
    client
      .query({
        query: `SELECT ${bucketSql[query.interval]} AS s_bucket, ${spanTotalsSelect} FROM ${spans} WHERE ${filter.sql} GROUP BY s_bucket ORDER BY s_bucket`,
        query_params: params,
        format: 'JSONEachRow',
      })
      .then((result) => result.json<SpanTotalsRow & { s_bucket: number | string }>()),
  ]);
  const fromMs = query.from.getTime();
  const toMs = query.to.getTime();
  const cost = stackCosts(
    costRows.map((row) => ({ bucket: Number(row.s_bucket) * 1000, key: row.s_key, cost: row.s_cost })),
    { fromMs, toMs, interval: query.interval, top: query.top ?? 8 },
  );
  const byBucket = new Map(metricRows.map((row) => [Number(row.s_bucket) * 1000, spanTotalsOf(row)]));
  const metrics = bucketStarts(fromMs, toMs, query.interval).map((start) => byBucket.get(start) ?? emptyTotals());
  return { from: query.from.toISOString(), to: query.to.toISOString(), group_by: query.groupBy, filters: query.filters, cost, metrics };
}

function emptyTotals(): SpanTotals {
  return {
    calls: 0,
    cost_usd: 0,
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    reasoning_tokens: 0,
    output_tokens_per_second: null,
    errors: 0,
    error_rate: 0,
    cache_hit_rate: null,
    unpriced_calls: 0,
    latency_ms: null,
    ttft_ms: null,
  };
}
