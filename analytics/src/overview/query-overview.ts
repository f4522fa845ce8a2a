import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { dateTime64Param } from '../rollup/hour-states';
import { dedupedSpansSql } from '../rollup/span-sql';
import { readSpend } from './read-spend';
import { spendWindows, type SpendWindow } from './spend-windows';
import { filterColumns, filterSql, type SpanFilters } from './span-filters';
import { spanTotalsColumns, spanTotalsOf, spanTotalsSelect, type SpanTotals, type SpanTotalsRow } from './span-totals';

export interface OverviewQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  filters: SpanFilters;
  now: Date;
}

export interface Overview {
  from: string;
  to: string;
  filters: SpanFilters;
  /** False until the first span is stored: the dashboard shows how to send some. */
  has_spans: boolean;
  current: SpanTotals;
  /** The range of the same length just before. */
  previous: SpanTotals & { from: string; to: string };
  /** Spend today (UTC) and over the last 7 and 30 days, each against the period before it. */
  spend: Array<SpendWindow & { cost_usd: number; previous_cost_usd: number; change_ratio: number | null }>;
  /** Models whose calls in the range had no price, by calls. */
  unpriced_models: Array<{ model: string; provider: string; calls: number }>;
}

/**
 * The overview's figures over [from, to) for the filtered calls, read from
 * raw spans (deduplicated) so that any combination of filters is exact.
 */
export async function queryOverview(client: ClickHouseClient, database: string, query: OverviewQuery): Promise<Overview> {
  const length = query.to.getTime() - query.from.getTime();
  const previousFrom = new Date(query.from.getTime() - length);
  const windows = spendWindows(query.now);
  const [current, previous, spend, unpriced, hasSpans] = await Promise.all([
    readTotals(client, database, query.from, query.to, query.filters),
    readTotals(client, database, previousFrom, query.from, query.filters),
    readSpend(client, database, windows, query.filters),
    readUnpricedModels(client, database, query),
    anySpan(client, database),
  ]);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    filters: query.filters,
    has_spans: hasSpans,
    current,
    previous: { ...previous, from: previousFrom.toISOString(), to: query.from.toISOString() },
    spend,
    unpriced_models: unpriced,
  };
}

function rangeWhere(fromKey: string, toKey: string): string {
  return `start_time >= {${fromKey}:DateTime64(3, 'UTC')} AND start_time < {${toKey}:DateTime64(3, 'UTC')}`;
}

async function readTotals(client: ClickHouseClient, database: string, from: Date, to: Date, filters: SpanFilters): Promise<SpanTotals> {
  const filter = filterSql(filters);
  const spans = dedupedSpansSql(database, [...filterColumns, ...spanTotalsColumns, 'start_time'], rangeWhere('from', 'to'));
  const result = await client.query({
    query: `SELECT ${spanTotalsSelect} FROM ${spans} WHERE ${filter.sql}`,
    query_params: { ...filter.params, from: dateTime64Param(from.getTime()), to: dateTime64Param(to.getTime()) },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<SpanTotalsRow>();
  return spanTotalsOf(row!);
}

async function readUnpricedModels(client: ClickHouseClient, database: string, query: OverviewQuery): Promise<Overview['unpriced_models']> {
  const filter = filterSql(query.filters);
  const spans = dedupedSpansSql(database, [...filterColumns, 'unpriced', 'start_time'], rangeWhere('from', 'to'));
  const result = await client.query({
    query: `SELECT toString(model) AS u_model, toString(provider) AS u_provider, count() AS u_calls
            FROM ${spans} WHERE unpriced AND ${filter.sql}
            GROUP BY u_model, u_provider ORDER BY u_calls DESC, u_model LIMIT 50`,
    query_params: { ...filter.params, from: dateTime64Param(query.from.getTime()), to: dateTime64Param(query.to.getTime()) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ u_model: string; u_provider: string; u_calls: string | number }>();
  return rows.map((row) => ({ model: row.u_model, provider: row.u_provider, calls: Number(row.u_calls) }));
}

/** Whether llm_spans holds any span at all. */
export async function anySpan(client: ClickHouseClient, database: string): Promise<boolean> {
  const result = await client.query({ query: `SELECT 1 AS found FROM ${tableName(database, 'llm_spans')} LIMIT 1`, format: 'JSONEachRow' });
  return (await result.json()).length > 0;
}
