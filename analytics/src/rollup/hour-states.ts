import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';

/** Hours are UTC hour starts in epoch seconds. */
export interface HourRange {
  from: number;
  /** Exclusive. */
  to: number;
}

/** Every hour a DateTime column can hold. */
export const allHours: HourRange = { from: 0, to: 4_294_967_295 };

/**
 * Query parameter text for a DateTime('UTC'): "YYYY-MM-DD hh:mm:ss". Short
 * bare numbers such as 0 are not accepted as timestamps, so times are always
 * sent spelled out.
 */
export function dateTimeParam(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Query parameter text for a DateTime64(3, 'UTC'): "YYYY-MM-DD hh:mm:ss.sss". */
export function dateTime64Param(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23).replace('T', ' ');
}

/** The latest rollup snapshot of an hour, by state_rank. */
export interface HourSnapshot {
  version: number;
  complete: boolean;
  /** Newest touch of the hour the snapshot's run had seen before reading raw spans, in µs. */
  rawTouchedMicros: bigint;
}

/** The newest touch of each hour in the range, in µs since the epoch. */
export async function readTouches(client: ClickHouseClient, database: string, range: HourRange): Promise<Map<number, bigint>> {
  const result = await client.query({
    query: `SELECT toUnixTimestamp(hour) AS hour, toString(toUnixTimestamp64Micro(max(touched_at))) AS touched
            FROM ${tableName(database, 'span_hours_touched')}
            WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
            GROUP BY hour`,
    query_params: { from: dateTimeParam(range.from), to: dateTimeParam(range.to) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ hour: number | string; touched: string }>();
  return new Map(rows.map((row) => [Number(row.hour), BigInt(row.touched)]));
}

/** The latest snapshot state of each hour in the range that was ever rolled up. */
export async function readSnapshots(client: ClickHouseClient, database: string, range: HourRange): Promise<Map<number, HourSnapshot>> {
  // argMax by state_rank, not FINAL: correct before and after merges.
  const result = await client.query({
    query: `SELECT toUnixTimestamp(hour) AS hour,
                   argMax(snapshot_version, state_rank) AS version,
                   argMax(complete, state_rank) AS complete,
                   toString(toUnixTimestamp64Micro(argMax(raw_touched_at, state_rank))) AS raw_touched
            FROM ${tableName(database, 'rollup_snapshots')}
            WHERE hour >= {from:DateTime('UTC')} AND hour < {to:DateTime('UTC')}
            GROUP BY hour`,
    query_params: { from: dateTimeParam(range.from), to: dateTimeParam(range.to) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ hour: number | string; version: number | string; complete: number | string; raw_touched: string }>();
  return new Map(
    rows.map((row) => [
      Number(row.hour),
      { version: Number(row.version), complete: Number(row.complete) === 1, rawTouchedMicros: BigInt(row.raw_touched) },
    ]),
  );
}

/**
 * An hour's snapshot can stand in for its raw spans when its run completed
 * and no batch touched the hour after the run started reading.
 */
export function isFresh(touchedMicros: bigint | undefined, snapshot: HourSnapshot | undefined): boolean {
  if (!snapshot?.complete) return false;
  return touchedMicros === undefined || touchedMicros <= snapshot.rawTouchedMicros;
}

/** What is known of each hour of a range: its newest touch and its latest rollup snapshot. */
export interface HourStates {
  touches: Map<number, bigint>;
  snapshots: Map<number, HourSnapshot>;
}

/** The states of the hours inside `range` only. */
export function restrictStates(states: HourStates, range: HourRange): HourStates {
  const inside = (hour: number) => hour >= range.from && hour < range.to;
  return {
    touches: new Map([...states.touches].filter(([hour]) => inside(hour))),
    snapshots: new Map([...states.snapshots].filter(([hour]) => inside(hour))),
  };
}

export async function readHourStates(client: ClickHouseClient, database: string, range: HourRange): Promise<HourStates> {
  const [touches, snapshots] = await Promise.all([readTouches(client, database, range), readSnapshots(client, database, range)]);
  return { touches, snapshots };
}

/** The hours of the range whose rollup is fresh, with the snapshot version to read. */
export async function readFreshHours(client: ClickHouseClient, database: string, range: HourRange): Promise<Map<number, number>> {
  return freshHoursOf(await readHourStates(client, database, range));
}

export function freshHoursOf({ touches, snapshots }: HourStates): Map<number, number> {
  const fresh = new Map<number, number>();
  for (const [hour, snapshot] of snapshots) {
    if (isFresh(touches.get(hour), snapshot)) fresh.set(hour, snapshot.version);
  }
  return fresh;
}

/** µs since the epoch as the decimal seconds DateTime64(6) parses exactly. */
export function microsToDateTime64(micros: bigint): string {
  const text = micros.toString().padStart(7, '0');
  return `${text.slice(0, -6)}.${text.slice(-6)}`;
}
