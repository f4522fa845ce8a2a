import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { dateTime64Param, readHourStates, type HourStates } from '../rollup/hour-states';
import { dedupedSpansSql } from '../rollup/span-sql';
import { queryCostBuckets } from '../costs/query-cost-buckets';
import { readSpend, rollupAnswer } from './read-spend';
import { spendWindows, type SpendWindow } from './spend-windows';
import { filterColumns, filterSql, type SpanFilters } from './span-filters';
import { spanTotalsColumns, spanTotalsFromRollup, spanTotalsOf, spanTotalsSelect, type SpanTotals, type SpanTotalsRow } from './span-totals';

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
 * The overview's figures over [from, to) for the filtered calls. Without
 * filters, or with one on feature, model or user, totals are read like
 * `/costs` (whole fresh hours and days from the rollups, the rest from raw
 * spans): sums exact, quantiles t-digest estimates. Any other set of
 * filters is read from raw spans (deduplicated), exact.
 */
export async function queryOverview(client: ClickHouseClient, database: string, query: OverviewQuery): Promise<Overview> {
  const length = query.to.getTime() - query.from.getTime();
  const previousFrom = new Date(query.from.getTime() - length);
  const windows = spendWindows(query.now);
  // Every rollup read of the page shares one reading of the hours' states.
  const edges = [previousFrom.getTime(), query.to.getTime(), ...windows.flatMap((window) => [Date.parse(window.previous_from), Date.parse(window.to)])];
  const known = rollupAnswer(query.filters)
    ? await readHourStates(client, database, { from: Math.floor(Math.min(...edges) / 3_600_000) * 3600, to: Math.ceil(Math.max(...edges) / 3_600_000) * 3600 })
    : undefined;
  const [current, previous, spend, unpriced, hasSpans] = await Promise.all([
    readTotals(client, database, query.from, query.to, query.filters, known),
    readTotals(client, database, previousFrom, query.from, query.filters, known),
    readSpend(client, database, windows, query.filters, known),
    readUnpricedModels(client, database, query, known),
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

async function readTotals(client: ClickHouseClient, database: string, from: Date, to: Date, filters: SpanFilters, knownStates?: HourStates): Promise<SpanTotals> {
  const answer = rollupAnswer(filters);
  if (answer) {
    const rows = await queryCostBuckets(client, database, { groupBy: answer.groupBy, from, to, unit: 'all', keep: answer.key === undefined ? [] : [answer.key], withLatency: true, knownStates });
    return spanTotalsFromRollup(rows.find((row) => row.other === (answer.key === undefined)));
  }
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

type UnpricedModels = Overview['unpriced_models'];

/**
 * The models whose calls had no price, with their provider, by calls. With
 * no filter or one on the model, the counts come from the model rollup (read
 * like `/costs`) and a light scan names each model's provider; a model
 * served by several providers, and any other filter, is counted from raw
 * spans by distinct span id (a span's copies share model and price).
 */
async function readUnpricedModels(client: ClickHouseClient, database: string, query: OverviewQuery, knownStates?: HourStates): Promise<UnpricedModels> {
  const answer = rollupAnswer(query.filters);
  if (!answer || answer.groupBy !== 'model') return countUnpricedRaw(client, database, query);
  const counts = (await queryCostBuckets(client, database, { groupBy: 'model', from: query.from, to: query.to, unit: 'all', costOnly: true, knownStates }))
    .filter((row) => row.unpricedCalls > 0 && (answer.key === undefined || row.key === answer.key));
  if (counts.length === 0) return [];
  const models = counts.map((row) => row.key);
  // Over all time, which reads far less than a time range: a model that only
  // one provider ever served unpriced had that provider within the range too;
  // any other is counted raw below.
  const result = await client.query({
    query: `SELECT toString(model) AS u_model, groupUniqArray(toString(provider)) AS u_providers
            FROM ${tableName(database, 'llm_spans')} WHERE unpriced AND has({models:Array(String)}, toString(model))
            GROUP BY u_model`,
    query_params: { models },
    format: 'JSONEachRow',
  });
  const providers = new Map((await result.json<{ u_model: string; u_providers: string[] }>()).map((row) => [row.u_model, row.u_providers]));
  const shared = models.filter((model) => (providers.get(model)?.length ?? 0) !== 1);
  const single: UnpricedModels = counts
    .filter((row) => providers.get(row.key)?.length === 1)
    .map((row) => ({ model: row.key, provider: providers.get(row.key)![0]!, calls: row.unpricedCalls }));
  const split = shared.length > 0 ? await countUnpricedRaw(client, database, query, shared) : [];
  return [...single, ...split].sort((a, b) => b.calls - a.calls || (a.model < b.model ? -1 : a.model > b.model ? 1 : 0)).slice(0, 50);
}

async function countUnpricedRaw(client: ClickHouseClient, database: string, query: OverviewQuery, models?: string[]): Promise<UnpricedModels> {
  const filter = filterSql(query.filters);
  const result = await client.query({
    query: `SELECT toString(model) AS u_model, toString(provider) AS u_provider, uniqExact(trace_id, span_id) AS u_calls
            FROM ${tableName(database, 'llm_spans')} WHERE unpriced AND ${rangeWhere('from', 'to')} AND ${filter.sql}
              ${models ? 'AND has({models:Array(String)}, toString(model))' : ''}
            GROUP BY u_model, u_provider ORDER BY u_calls DESC, u_model LIMIT 50`,
    query_params: { ...filter.params, ...(models ? { models } : {}), from: dateTime64Param(query.from.getTime()), to: dateTime64Param(query.to.getTime()) },
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
