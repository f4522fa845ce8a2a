import type { ClickHouseClient } from '@clickhouse/client';
import { tableName, type CostGrouping, type CostReport } from '@spanlens/core';
import { allHours, dateTime64Param, dateTimeParam, readFreshHours, readSnapshots, type HourRange } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { parsePicoUsd, picoToUsd } from './usd';

export interface CostQuery {
  groupBy: CostGrouping;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * The report key of each grouping. A span that did not say (no feature, no
 * user, no prompt id, no file) falls under the key "" — the API layer may
 * label it. A prompt is `id@version`, or `id` when it has no version; a call
 * site is `file:line` with the file path as the span reported it.
 */
const keyExpressions: Record<CostGrouping, string> = {
  feature: 'feature',
  user: 'user_id',
  model: 'model',
  prompt: "if(prompt_id = '', '', if(prompt_version = '', prompt_id, concat(prompt_id, '@', prompt_version)))",
  callsite: "if(code_file_path = '', '', concat(code_file_path, ':', toString(code_line_number)))",
};

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
  const keyExpression = keyExpressions[query.groupBy];
  if (!keyExpression) throw new RangeError(`unknown cost grouping "${String(query.groupBy)}"`);
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
    groups = await queryGroups(client, database, keyExpression, { fromMs, toMs, whole, fresh });
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
  /** Fresh hour → the snapshot version to read. */
  fresh: Map<number, number>;
}

async function queryGroups(client: ClickHouseClient, database: string, key: string, q: GroupsQuery): Promise<CostGroupRow[]> {
  const rawSpans = dedupedSpansSql(
    database,
    ['feature', 'user_id', 'model', 'prompt_id', 'prompt_version', 'code_file_path', 'code_line_number',
      'cost_usd', 'unpriced', 'input_tokens', 'output_tokens'],
    `start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}
     AND NOT has({fresh_hours:Array(DateTime('UTC'))}, toStartOfHour(start_time))`,
  );
  const result = await client.query({
    query: `SELECT key, toString(sum(cost)) AS cost, sum(calls) AS calls, sum(input) AS input_tokens,
                   sum(output) AS output_tokens, sum(unpriced_count) AS unpriced_calls
            FROM (
              SELECT ${key} AS key, cost_usd AS cost, calls, input_tokens AS input, output_tokens AS output, unpriced_calls AS unpriced_count
              FROM ${tableName(database, 'llm_spans_hourly')}
              WHERE hour >= {whole_from:DateTime('UTC')} AND hour < {whole_to:DateTime('UTC')}
                AND has(arrayZip({fresh_hours:Array(DateTime('UTC'))}, {fresh_versions:Array(UInt64)}), (hour, snapshot_version))
              UNION ALL
              SELECT ${key} AS key, ${spanCostDecimal} AS cost, toUInt64(1) AS calls, input_tokens AS input, output_tokens AS output, toUInt64(unpriced) AS unpriced_count
              FROM ${rawSpans}
            )
            GROUP BY key`,
    query_params: {
      from: dateTime64Param(q.fromMs),
      to: dateTime64Param(q.toMs),
      whole_from: dateTimeParam(q.whole.from),
      whole_to: dateTimeParam(Math.max(q.whole.from, q.whole.to)),
      fresh_hours: [...q.fresh.keys()].map(dateTimeParam),
      fresh_versions: [...q.fresh.values()],
    },
    format: 'JSONEachRow',
  });
  return result.json<CostGroupRow>();
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
