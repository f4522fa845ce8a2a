import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { dateTimeParam, isFresh, readHourStates, restrictStates, type HourRange, type HourStates } from './hour-states';
import { overviewRollupColumns, overviewRollupFromRollup } from './span-sql';

const DAY_SECONDS = 86_400;

/**
 * Each day in the range with spans: the "hour:version,…" string of its
 * touched hours' current rollup snapshots, or null when one of them is not
 * fresh (the day must then be read hour by hour, some of it raw).
 */
export async function currentDayStates(client: ClickHouseClient, database: string, range: HourRange, known?: HourStates): Promise<Map<number, string | null>> {
  const { touches, snapshots } = known ?? (await readHourStates(client, database, range));
  const hoursByDay = new Map<number, number[]>();
  for (const hour of touches.keys()) {
    const day = hour - (hour % DAY_SECONDS);
    hoursByDay.set(day, [...(hoursByDay.get(day) ?? []), hour]);
  }
  const states = new Map<number, string | null>();
  for (const [day, hours] of hoursByDay) {
    hours.sort((a, b) => a - b);
    const fresh = hours.every((hour) => isFresh(touches.get(hour), snapshots.get(hour)));
    states.set(day, fresh ? hours.map((hour) => `${hour}:${snapshots.get(hour)!.version}`).join(',') : null);
  }
  return states;
}

/** The daily versions that match each day's current state: a day here can be read from llm_spans_daily. */
export async function usableDays(client: ClickHouseClient, database: string, range: HourRange, known?: HourStates): Promise<Map<number, number>> {
  const states = await currentDayStates(client, database, range, known && restrictStates(known, range));
  const candidates = [...states].filter(([, state]) => state !== null);
  if (candidates.length === 0) return new Map();
  const result = await client.query({
    query: `SELECT toUnixTimestamp(toDateTime(day, 'UTC')) AS day_start, hour_versions, max(snapshot_version) AS version
            FROM ${tableName(database, 'daily_snapshots')}
            WHERE day >= toDate({from:DateTime('UTC')}) AND day < toDate({to:DateTime('UTC')})
            GROUP BY day_start, hour_versions`,
    query_params: { from: dateTimeParam(range.from), to: dateTimeParam(range.to) },
    format: 'JSONEachRow',
  });
  const built = new Map<string, number>();
  for (const row of await result.json<{ day_start: number | string; hour_versions: string; version: number | string }>()) {
    built.set(`${Number(row.day_start)}|${row.hour_versions}`, Number(row.version));
  }
  const days = new Map<number, number>();
  for (const [day, state] of candidates) {
    const version = built.get(`${day}|${state}`);
    if (version !== undefined) days.set(day, version);
  }
  return days;
}


/**
 * Builds the daily rows of every ended day whose hours are all fresh and
 * whose current state has no daily version yet, newest day first, at most
 * `maxDays` per call. Rows are written before the snapshot that names them,
 * so a reader that finds the snapshot finds all its rows.
 */
export async function refreshDailyRollup(client: ClickHouseClient, database: string, options: { now?: Date; maxDays?: number } = {}): Promise<{ daysRefreshed: number }> {
  const now = options.now ?? new Date();
  const todayStart = Math.floor(now.getTime() / 1000 / DAY_SECONDS) * DAY_SECONDS;
  const states = await currentDayStates(client, database, { from: 0, to: todayStart });
  const usable = await usableDays(client, database, { from: 0, to: todayStart });
  const todo = [...states]
    .filter(([day, state]) => state !== null && !usable.has(day))
    .sort(([a], [b]) => b - a)
    .slice(0, Math.max(1, options.maxDays ?? 31));
  for (const [day, state] of todo) {
    const pairs = (state as string).split(',').map((pair) => pair.split(':').map(Number) as [number, number]);
    const version = now.getTime() * 1000 + Math.floor(Math.random() * 1000);
    await client.command({
      query: `INSERT INTO ${tableName(database, 'llm_spans_daily')}
                (dimension, day, key, snapshot_version, calls, cost_usd, unpriced_calls, input_tokens, output_tokens,
                 cache_read_tokens, cache_write_tokens, reasoning_tokens, errors, duration_ms_sum, latency_state, ${overviewRollupColumns})
              SELECT dimension, toDate(hour) AS day, key, {version:UInt64}, sum(calls), sum(cost_usd), sum(unpriced_calls),
                     sum(input_tokens), sum(output_tokens), sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens),
                     sum(errors), sum(duration_ms_sum), quantilesTDigestMergeState(0.5, 0.95, 0.99)(latency_state), ${overviewRollupFromRollup}
              FROM ${tableName(database, 'llm_spans_hourly')}
              WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
                AND (hour, snapshot_version) IN (
                  SELECT pair.1, pair.2 FROM (SELECT arrayJoin(arrayZip({hours:Array(DateTime('UTC'))}, {versions:Array(UInt64)})) AS pair))
              GROUP BY dimension, day, key`,
      query_params: {
        version,
        from: dateTimeParam(day),
        to: dateTimeParam(day + DAY_SECONDS),
        hours: pairs.map(([hour]) => dateTimeParam(hour)),
        versions: pairs.map(([, v]) => v),
      },
    });
    await client.insert({
      table: tableName(database, 'daily_snapshots'),
      values: [{ day: new Date(day * 1000).toISOString().slice(0, 10), snapshot_version: version, hour_versions: state, computed_at: (now.getTime() / 1000).toFixed(3) }],
      format: 'JSONEachRow',
    });
  }
  return { daysRefreshed: todo.length };
}
