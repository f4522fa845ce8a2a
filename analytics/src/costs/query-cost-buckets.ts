import type { ClickHouseClient } from '@clickhouse/client';
import { tableName, type CostGrouping } from '@spanlens/core';
import { parsePicoUsd } from './usd';
import { usableDays } from '../rollup/daily-rollup';
import { allHours, dateTime64Param, dateTimeParam, freshHoursOf, readHourStates, readSnapshots, restrictStates, type HourRange, type HourStates } from '../rollup/hour-states';
import { costKeyColumns, costKeyExpressions, dedupedSpansSql, generationMsFromSpans, spanCostDecimal, ttftCallsFromSpans, ttftStateFromSpans } from '../rollup/span-sql';

/** The buckets figures are summed into; `all` is one bucket for the whole range. */
export type BucketUnit = 'hour' | 'day' | 'month' | 'all';

export interface CostBucketQuery {
  groupBy: CostGrouping;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  unit: BucketUnit;
  /**
   * Merge the hours' latency and time-to-first-token t-digests into
   * quantiles, and sum the generation time. Off by default: the
   * states are most of the rollup's bytes, and merging them costs a cost
   * query several times its time when nobody asked for latency.
   */
  withLatency?: boolean;
  /**
   * Read only what a cost report shows: cost, calls, input and output tokens
   * and unpriced calls; cache reads, reasoning tokens, errors and durations
   * are then 0. With thousands of keys (users) the result's size is most of
   * a query's time, and this halves it.
   */
  costOnly?: boolean;
  /**
   * Hour states already read for a range covering this one (readHourStates),
   * so that several reads for one page share them; used for the first
   * attempt only, a retry reads them afresh.
   */
  knownStates?: HourStates;
  /** Keys reported on their own; every other key is summed into one row per bucket with `other` set. Absent: every key on its own. */
  keep?: readonly string[];
}

export interface CostBucketRow {
  /** Start of the UTC hour, day or month, epoch ms. */
  bucket: number;
  /** "" on the `other` row. */
  key: string;
  other: boolean;
  /** Exact, in picodollars. */
  costPico: bigint;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  reasoningTokens: number;
  unpricedCalls: number;
  errors: number;
  /** Sum of call durations, for the mean latency. */
  durationMsSum: number;
  /** Latency quantiles from the merged t-digests of the hours (approximate, unlike every sum here); zeros unless `withLatency`. */
  latencyMs: { p50: number; p95: number; p99: number };
  /** Call time of the calls that produced output tokens, for tokens per second; 0 unless `withLatency`. */
  genDurationMsSum: number;
  /** Calls that reported a time to first token; 0 unless `withLatency`. */
  ttftCalls: number;
  /** Time-to-first-token quantiles from merged t-digests, over ttftCalls; zeros unless `withLatency`. */
  ttftMs: { p50: number; p95: number; p99: number };
}

const hourSeconds = 3600;
const maxAttempts = 3;
/** Past this many separate raw-span ranges, everything is read raw. */
const maxRawRanges = 64;

const bucketSql: Record<BucketUnit, string> = {
  hour: 'h',
  day: 'toStartOfDay(h)',
  month: "toDateTime(toStartOfMonth(h), 'UTC')",
  all: "toDateTime(0, 'UTC')",
};

/**
 * Cost, calls and tokens over [from, to) per (hour, day or month, key). It
 * reads exactly as queryCosts does — whole fresh hours from the rollup, the
 * rest from raw spans deduplicated, summing the same exact decimal — so the
 * buckets of a range add up to queryCosts' figures for it to the picodollar.
 * It also returns the token counts queryCosts leaves out (cache reads,
 * reasoning), which the rollup keeps too.
 */
export async function queryCostBuckets(client: ClickHouseClient, database: string, query: CostBucketQuery): Promise<CostBucketRow[]> {
  if (!costKeyExpressions[query.groupBy]) throw new RangeError(`unknown cost grouping "${String(query.groupBy)}"`);
  if (query.from > query.to) throw new RangeError(`from (${query.from.toISOString()}) is after to (${query.to.toISOString()})`);
  const clamp = (ms: number) => Math.min(Math.max(ms, 0), allHours.to * 1000);
  const fromMs = clamp(query.from.getTime());
  const toMs = clamp(query.to.getTime());
  const whole: HourRange = {
    from: Math.ceil(fromMs / 1000 / hourSeconds) * hourSeconds,
    to: Math.floor(toMs / 1000 / hourSeconds) * hourSeconds,
  };
  let rows: BucketSqlRow[] = [];
  for (let attempt = 1; attempt <= maxAttempts + 1; attempt++) {
    // The last attempt reads raw spans only, which needs no snapshot at all.
    const readable = whole.from < whole.to && attempt <= maxAttempts;
    const states = !readable ? undefined : attempt === 1 && query.knownStates ? restrictStates(query.knownStates, whole) : await readHourStates(client, database, whole);
    const fresh = states ? freshHoursOf(states) : new Map<number, number>();
    // Whole days whose daily rollup matches their hours' current versions are
    // read from the daily rows (24 times fewer); never for hourly buckets.
    const days = states && query.unit !== 'hour' && fresh.size > 0 ? await usableDays(client, database, wholeDays(fromMs, toMs), states) : new Map<number, number>();
    rows = await queryBuckets(client, database, query, { fromMs, toMs, whole, fresh, days });
    if (fresh.size === 0 || (await snapshotsUnchanged(client, database, whole, fresh))) break;
  }
  return rows.map((row) => ({
    bucket: Number(row.bucket) * 1000,
    key: row.series_key,
    other: Number(row.other) === 1,
    costPico: parsePicoUsd(row.cost),
    calls: Number(row.calls),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cacheReadTokens: Number(row.cache_read_tokens ?? 0),
    reasoningTokens: Number(row.reasoning_tokens ?? 0),
    unpricedCalls: Number(row.unpriced_calls),
    errors: Number(row.errors ?? 0),
    durationMsSum: Number(row.duration_ms_sum ?? 0),
    latencyMs: { p50: quantile(row.latency_ms, 0), p95: quantile(row.latency_ms, 1), p99: quantile(row.latency_ms, 2) },
    genDurationMsSum: Number(row.gen_duration_ms_sum ?? 0),
    ttftCalls: Number(row.ttft_calls ?? 0),
    ttftMs: { p50: quantile(row.ttft_ms, 0), p95: quantile(row.ttft_ms, 1), p99: quantile(row.ttft_ms, 2) },
  }));
}

type Count = number | string;
interface BucketSqlRow {
  bucket: Count;
  /** Not `key`: an alias must not shadow the column it is computed from. */
  series_key: string;
  other: Count;
  cost: string;
  calls: Count;
  input_tokens: Count;
  output_tokens: Count;
  cache_read_tokens?: Count;
  reasoning_tokens?: Count;
  unpriced_calls: Count;
  errors?: Count;
  duration_ms_sum?: Count;
  latency_ms?: Array<number | string>;
  gen_duration_ms_sum?: Count;
  ttft_calls?: Count;
  ttft_ms?: Array<number | string>;
}

function quantile(values: Array<number | string> | undefined, index: number): number {
  const value = Number(values?.[index] ?? Number.NaN);
  return Number.isFinite(value) ? value : 0;
}

interface ReadPlan {
  fromMs: number;
  toMs: number;
  whole: HourRange;
  /** Fresh hour (epoch seconds) → the snapshot version to read. */
  fresh: Map<number, number>;
  /** Day (epoch seconds) → the daily version to read; its hours are read from nowhere else. */
  days: Map<number, number>;
}

const daySeconds = 86_400;

/** The whole UTC days inside [fromMs, toMs), as an hour range. */
function wholeDays(fromMs: number, toMs: number): HourRange {
  const from = Math.ceil(fromMs / 1000 / daySeconds) * daySeconds;
  const to = Math.floor(toMs / 1000 / daySeconds) * daySeconds;
  return { from, to: Math.max(from, to) };
}

async function queryBuckets(client: ClickHouseClient, database: string, query: CostBucketQuery, plan: ReadPlan): Promise<BucketSqlRow[]> {
  let days = plan.days;
  let fresh = new Map([...plan.fresh].filter(([hour]) => !days.has(hour - (hour % daySeconds))));
  // Hours covered by a daily or hourly rollup row; raw spans fill the rest.
  const covered = new Map(fresh);
  for (const day of days.keys()) for (let hour = day; hour < day + daySeconds; hour += hourSeconds) covered.set(hour, 0);
  let ranges = rawRanges(plan.fromMs, plan.toMs, covered);
  if (ranges.length > maxRawRanges) {
    fresh = new Map();
    days = new Map();
    ranges = [{ fromMs: plan.fromMs, toMs: plan.toMs }];
  }
  const params: Record<string, unknown> = {
    dimension: query.groupBy,
    whole_from: dateTimeParam(plan.whole.from),
    whole_to: dateTimeParam(Math.max(plan.whole.from, plan.whole.to)),
    fresh_hours: [...fresh.keys()].map(dateTimeParam),
    fresh_versions: [...fresh.values()],
    daily_days: [...days.keys()].map((day) => new Date(day * 1000).toISOString().slice(0, 10)),
    daily_versions: [...days.values()],
    keep: [...(query.keep ?? [])],
  };
  const rangeSql = ranges.map((range, i) => {
    params[`raw_from_${i}`] = dateTime64Param(range.fromMs);
    params[`raw_to_${i}`] = dateTime64Param(range.toMs);
    return `(start_time >= {raw_from_${i}:DateTime64(3, 'UTC')} AND start_time < {raw_to_${i}:DateTime64(3, 'UTC')})`;
  });
  const columns = [...costKeyColumns, 'cost_usd', 'unpriced', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'reasoning_tokens', 'is_error', 'duration_ms', 'ttft_ms', 'start_time'];
  const rawSpans = dedupedSpansSql(database, columns, rangeSql.join(' OR ') || '0');
  const keyed = query.keep === undefined;
  const latency = query.withLatency === true;
  // Raw spans are first summed per hour and key like a rollup row, latency as
  // a t-digest state of the same function, so both sides merge alike.
  const result = await client.query({
    query: `SELECT toUnixTimestamp(${bucketSql[query.unit]}) AS bucket,
                   ${keyed ? 'key' : "if(has({keep:Array(String)}, key), key, '')"} AS series_key,
                   ${keyed ? '0' : 'NOT has({keep:Array(String)}, key)'} AS other,
                   toString(sum(cost)) AS cost, sum(calls) AS calls, sum(input) AS input_tokens, sum(output) AS output_tokens,
                   sum(unpriced_count) AS unpriced_calls
                   ${query.costOnly === true ? '' : ', sum(cache_read) AS cache_read_tokens, sum(reasoning) AS reasoning_tokens, sum(error_count) AS errors, sum(duration_sum) AS duration_ms_sum'}
                   ${latency ? `, quantilesTDigestMerge(0.5, 0.95, 0.99)(latency) AS latency_ms, sum(gen_sum) AS gen_duration_ms_sum,
                                sum(ttft_count) AS ttft_calls, quantilesTDigestMerge(0.5, 0.95, 0.99)(ttft) AS ttft_ms` : ''}
            FROM (
              SELECT hour AS h, key, cost_usd AS cost, calls, input_tokens AS input, output_tokens AS output,
                     cache_read_tokens AS cache_read, reasoning_tokens AS reasoning, unpriced_calls AS unpriced_count,
                     errors AS error_count, duration_ms_sum AS duration_sum
                     ${latency ? ', latency_state AS latency, gen_duration_ms_sum AS gen_sum, ttft_calls AS ttft_count, ttft_state AS ttft' : ''}
              FROM ${tableName(database, 'llm_spans_hourly')}
              WHERE dimension = {dimension:String}
                AND hour >= {whole_from:DateTime('UTC')} AND hour < {whole_to:DateTime('UTC')}
                AND (hour, snapshot_version) IN (
                  SELECT pair.1, pair.2 FROM (SELECT arrayJoin(arrayZip({fresh_hours:Array(DateTime('UTC'))}, {fresh_versions:Array(UInt64)})) AS pair))
              UNION ALL
              SELECT toDateTime(day, 'UTC') AS h, key, cost_usd AS cost, calls, input_tokens AS input, output_tokens AS output,
                     cache_read_tokens AS cache_read, reasoning_tokens AS reasoning, unpriced_calls AS unpriced_count,
                     errors AS error_count, duration_ms_sum AS duration_sum
                     ${latency ? ', latency_state AS latency, gen_duration_ms_sum AS gen_sum, ttft_calls AS ttft_count, ttft_state AS ttft' : ''}
              FROM ${tableName(database, 'llm_spans_daily')}
              WHERE dimension = {dimension:String}
                AND (day, snapshot_version) IN (
                  SELECT pair.1, pair.2 FROM (SELECT arrayJoin(arrayZip({daily_days:Array(Date)}, {daily_versions:Array(UInt64)})) AS pair))
              UNION ALL
              SELECT toStartOfHour(toDateTime(start_time, 'UTC')) AS h, ${costKeyExpressions[query.groupBy]} AS key, sum(${spanCostDecimal}) AS cost,
                     count() AS calls, sum(input_tokens) AS input, sum(output_tokens) AS output,
                     sum(cache_read_tokens) AS cache_read, sum(reasoning_tokens) AS reasoning, countIf(unpriced) AS unpriced_count,
                     countIf(is_error) AS error_count, sum(duration_ms) AS duration_sum
                     ${latency ? `, quantilesTDigestState(0.5, 0.95, 0.99)(duration_ms) AS latency, ${generationMsFromSpans} AS gen_sum,
                                  ${ttftCallsFromSpans} AS ttft_count, ${ttftStateFromSpans} AS ttft` : ''}
              FROM ${rawSpans}
              GROUP BY h, key
            )
            GROUP BY bucket, series_key, other`,
    query_params: params,
    format: 'JSONEachRow',
  });
  return result.json<BucketSqlRow>();
}

/** As in queryCosts: every fresh hour still has the version read, so no newer run replaced its rows meanwhile. */
async function snapshotsUnchanged(client: ClickHouseClient, database: string, whole: HourRange, fresh: Map<number, number>): Promise<boolean> {
  const now = await readSnapshots(client, database, whole);
  return [...fresh].every(([hour, version]) => {
    const snapshot = now.get(hour);
    return snapshot?.complete === true && snapshot.version === version;
  });
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
