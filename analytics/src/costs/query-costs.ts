import type { ClickHouseClient } from '@clickhouse/client';
import { tableName, type CostGrouping, type CostReport } from '@spanlens/core';
import { allHours, dateTime64Param, dateTimeParam, readFreshHours, readSnapshots, type HourRange } from '../rollup/hour-states';
import { costKeyColumns, costKeyExpressions, dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { parsePicoUsd, picoToUsd } from './usd';

export interface CostQuery {
  groupBy: CostGrouping;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

const hourSeconds = 3600;
const maxAttempts = 3;

/**
 * Cost, calls and tokens over [from, to), grouped. Whole hours whose rollup
 * snapshot is fresh are read from llm_spans_hourly; partial edge hours and
 * stale or never-rolled hours are read from llm_spans, deduped — so figures
 * are identical whether or not, and however recently, the rollup ran.
 *
 * Rows are rounded to a nanodollar each; total_cost_usd is the exact sum over
 * all spans rounded once, so it may differ from the sum of rounded rows by
 * less than a nanodollar per row.
 */
export async function queryCosts(client: ClickHouseClient, database: string, query: CostQuery): Promise<CostReport> {
  if (!costKeyExpressions[query.groupBy]) throw new RangeError(`unknown cost grouping "${String(query.groupBy)}"`);
  if (Number.isNaN(query.from.getTime()) || Number.isNaN(query.to.getTime())) throw new RangeError('from and to must be valid dates');
  if (query.from > query.to) throw new RangeError(`from (${query.from.toISOString()}) is after to (${query.to.toISOString()})`);
  // No span can lie outside what a DateTime holds (1970 to 2106).
  const clamp = (ms: number) => Math.min(Math.max(ms, 0), allHours.to * 1000);
  const fromMs = clamp(query.from.getTime());
  const toMs = clamp(query.to.getTime());

  const whole: HourRange = {
    from: Math.ceil(fromMs / 1000 / hourSeconds) * hourSeconds,
    to: Math.floor(toMs / 1000 / hourSeconds) * hourSeconds,
  };
  let groups: CostGroupRow[] = [];
  for (let attempt = 1; attempt <= maxAttempts + 1; attempt++) {
    // The last attempt reads raw spans only, which needs no snapshot at all.
    const fresh = whole.from < whole.to && attempt <= maxAttempts ? await readFreshHours(client, database, whole) : new Map<number, number>();
    groups = await queryGroups(client, database, query.groupBy, { fromMs, toMs, whole, fresh });
    if (fresh.size === 0 || (await snapshotsUnchanged(client, database, whole, fresh))) break;
  }
  return buildReport(query, groups);
}

interface CostGroupRow {
  key: string;
  cost: string;
  calls: number | string;
  input_tokens: number | string;
  output_tokens: number | string;
  unpriced_calls: number | string;
}

interface GroupsQuery {
  fromMs: number;
  toMs: number;
  whole: HourRange;
  /** Fresh hour (epoch seconds) → the snapshot version to read. */
  fresh: Map<number, number>;
}

/** At most this many separate raw-span ranges in one query; past it, everything is read raw. */
const maxRawRanges = 64;

async function queryGroups(client: ClickHouseClient, database: string, groupBy: CostGrouping, q: GroupsQuery): Promise<CostGroupRow[]> {
  let fresh = q.fresh;
  let ranges = rawRanges(q.fromMs, q.toMs, fresh);
  if (ranges.length > maxRawRanges) {
    fresh = new Map();
    ranges = [{ fromMs: q.fromMs, toMs: q.toMs }];
  }
  const params: Record<string, unknown> = {
    dimension: groupBy,
    whole_from: dateTimeParam(q.whole.from),
    whole_to: dateTimeParam(Math.max(q.whole.from, q.whole.to)),
    fresh_hours: [...fresh.keys()].map(dateTimeParam),
    fresh_versions: [...fresh.values()],
  };
  // Raw spans are read only in the ranges the rollup does not cover, as plain
  // time ranges so that the sorting key (hour first) prunes everything else.
  const rangeSql = ranges.map((range, i) => {
    params[`raw_from_${i}`] = dateTime64Param(range.fromMs);
    params[`raw_to_${i}`] = dateTime64Param(range.toMs);
    return `(start_time >= {raw_from_${i}:DateTime64(3, 'UTC')} AND start_time < {raw_to_${i}:DateTime64(3, 'UTC')})`;
  });
  const rawSpans = dedupedSpansSql(database, [...costKeyColumns, 'cost_usd', 'unpriced', 'input_tokens', 'output_tokens'], rangeSql.join(' OR ') || '0');
  const result = await client.query({
    query: `SELECT key, toString(sum(cost)) AS cost, sum(calls) AS calls, sum(input) AS input_tokens,
                   sum(output) AS output_tokens, sum(unpriced_count) AS unpriced_calls
            FROM (
              SELECT key, cost_usd AS cost, calls, input_tokens AS input, output_tokens AS output, unpriced_calls AS unpriced_count
              FROM ${tableName(database, 'llm_spans_hourly')}
              WHERE dimension = {dimension:String}
                AND hour >= {whole_from:DateTime('UTC')} AND hour < {whole_to:DateTime('UTC')}
                AND (hour, snapshot_version) IN (
                  SELECT pair.1, pair.2 FROM (SELECT arrayJoin(arrayZip({fresh_hours:Array(DateTime('UTC'))}, {fresh_versions:Array(UInt64)})) AS pair))
              UNION ALL
              SELECT ${costKeyExpressions[groupBy]} AS key, ${spanCostDecimal} AS cost, toUInt64(1) AS calls,
                     input_tokens AS input, output_tokens AS output, toUInt64(unpriced) AS unpriced_count
              FROM ${rawSpans}
            )
            GROUP BY key`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return result.json<CostGroupRow>();
}

/** [fromMs, toMs) less the fresh hours, as ascending, non-adjacent ranges. */
export function rawRanges(fromMs: number, toMs: number, fresh: ReadonlyMap<number, number>): Array<{ fromMs: number; toMs: number }> {
  const ranges: Array<{ fromMs: number; toMs: number }> = [];
  let start = fromMs;
  for (const hour of [...fresh.keys()].sort((a, b) => a - b)) {
    const hourMs = hour * 1000;
    if (hourMs > start) ranges.push({ fromMs: start, toMs: Math.min(hourMs, toMs) });
    start = Math.max(start, hourMs + hourSeconds * 1000);
  }
  if (start < toMs) ranges.push({ fromMs: start, toMs });
  return ranges.filter((range) => range.fromMs < range.toMs);
}

/**
 * A newer rollup run may have started while the groups were read, and a merge
 * may then have replaced the version we read. Runs record "started" before
 * writing rows, so if every fresh hour still has the same latest complete
 * version now, nothing could have replaced the rows we read.
 */
async function snapshotsUnchanged(client: ClickHouseClient, database: string, whole: HourRange, fresh: Map<number, number>): Promise<boolean> {
  const now = await readSnapshots(client, database, whole);
  return [...fresh].every(([hour, version]) => {
    const snapshot = now.get(hour);
    return snapshot?.complete === true && snapshot.version === version;
  });
}

function buildReport(query: CostQuery, groups: CostGroupRow[]): CostReport {
  let totalPico = 0n;
  const rows = groups.map((group) => {
    const pico = parsePicoUsd(group.cost);
    totalPico += pico;
    return {
      key: group.key,
      cost_usd: picoToUsd(pico),
      calls: Number(group.calls),
      input_tokens: Number(group.input_tokens),
      output_tokens: Number(group.output_tokens),
      unpriced_calls: Number(group.unpriced_calls),
    };
  });
  rows.sort((a, b) => b.cost_usd - a.cost_usd || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    group_by: query.groupBy,
    total_cost_usd: picoToUsd(totalPico),
    rows,
  };
}
