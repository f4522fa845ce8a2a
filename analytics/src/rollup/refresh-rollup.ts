import { randomInt } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { allHours, dateTimeParam, isFresh, microsToDateTime64, readSnapshots, readTouches } from './hour-states';
import { costKeyColumns, dedupedSpansSql, dimensionKeyPairsSql, overviewRollupColumns, overviewRollupFromSpans, spanCostDecimal } from './span-sql';

export interface RefreshRollupOptions {
  /** The clock of the run: snapshot versions and computed_at derive from it. */
  now?: Date;
  /** Hours recomputed per INSERT … SELECT, to bound one query's memory. */
  hoursPerInsert?: number;
  /**
   * The most hours one run recomputes, the newest first; the rest wait for
   * the next run. Bounds a run's time when much is stale at once (a backfill,
   * a first start on old data); readers stay exact meanwhile.
   */
  maxHours?: number;
}

/**
 * Recomputes, from raw spans, every hour touched since its latest complete
 * snapshot (and every hour whose last run did not complete). Each hour is
 * recomputed whole, so the result is exact however late a span arrived:
 *   1. read each hour's newest touch T (before reading any raw span);
 *   2. record the new version as started;
 *   3. write the hour's groups under that version;
 *   4. record the version as complete, with T.
 * A batch stored after step 1 touches the hour later than T, so readers and
 * the next run see the hour as stale rather than trusting a snapshot that
 * may lack it.
 */
export async function refreshRollup(
  client: ClickHouseClient,
  database: string,
  options: RefreshRollupOptions = {},
): Promise<{ hoursRefreshed: number; hoursStillStale: number }> {
  const now = options.now ?? new Date();
  // The hour still in progress is left to raw reads: any query ending now
  // reads it raw anyway (it is a partial hour), and recomputing it every few
  // seconds while spans pour in would re-read the whole hour each time.
  const openHour = Math.floor(now.getTime() / 1000 / 3600) * 3600;
  const [touches, snapshots] = await Promise.all([readTouches(client, database, allHours), readSnapshots(client, database, allHours)]);
  const allStale = [...touches.keys()]
    .filter((hour) => hour < openHour && !isFresh(touches.get(hour), snapshots.get(hour)))
    .sort((a, b) => a - b);
  if (allStale.length === 0) return { hoursRefreshed: 0, hoursStillStale: 0 };
  const stale = allStale.slice(-Math.max(1, options.maxHours ?? allStale.length));

  // ms timestamp × 1000 plus a random tiebreak, so two runs never share a
  // version (their rows would add up); never below a version already used.
  const newest = Math.max(0, ...stale.map((hour) => snapshots.get(hour)?.version ?? 0));
  const version = Math.max(now.getTime() * 1000 + randomInt(1000), newest + 1);
  const perInsert = Math.max(1, options.hoursPerInsert ?? 24);
  for (let i = 0; i < stale.length; i += perInsert) {
    const hours = stale.slice(i, i + perInsert);
    const marks = hours.map((hour) => ({
      hour: dateTimeParam(hour),
      snapshot_version: version,
      raw_touched_at: microsToDateTime64(touches.get(hour)!),
      computed_at: (now.getTime() / 1000).toFixed(3),
    }));
    await recordSnapshots(client, database, marks, 0);
    await client.command({
      query: rollupInsertSql(database),
      query_params: {
        hours: hours.map(dateTimeParam),
        version,
        from: dateTimeParam(hours[0]!),
        to: dateTimeParam(hours[hours.length - 1]! + 3600),
      },
    });
    await recordSnapshots(client, database, marks, 1);
  }
  return { hoursRefreshed: stale.length, hoursStillStale: allStale.length - stale.length };
}

async function recordSnapshots(client: ClickHouseClient, database: string, marks: object[], complete: 0 | 1): Promise<void> {
  await client.insert({
    table: tableName(database, 'rollup_snapshots'),
    values: marks.map((mark) => ({ ...mark, complete })),
    format: 'JSONEachRow',
  });
}

function rollupInsertSql(database: string): string {
  const spans = dedupedSpansSql(
    database,
    [...costKeyColumns, 'start_time', 'cost_usd', 'unpriced', 'input_tokens', 'output_tokens', 'cache_read_tokens',
      'cache_write_tokens', 'reasoning_tokens', 'is_error', 'duration_ms', 'ttft_ms'],
    // The range prunes partitions and granules; has() keeps only the stale hours.
    `start_time >= {from:DateTime('UTC')} AND start_time < {to:DateTime('UTC')}
     AND has({hours:Array(DateTime('UTC'))}, toStartOfHour(start_time))`,
  );
  // Each span contributes once to every dimension: its feature, its user, …
  return `INSERT INTO ${tableName(database, 'llm_spans_hourly')}
    (dimension, hour, key, snapshot_version, calls, cost_usd, unpriced_calls, input_tokens, output_tokens,
     cache_read_tokens, cache_write_tokens, reasoning_tokens, errors, duration_ms_sum, latency_state, ${overviewRollupColumns})
    SELECT pair.1 AS dimension, toStartOfHour(start_time) AS hour, pair.2 AS key, {version:UInt64},
      count(), sum(${spanCostDecimal}), countIf(unpriced), sum(input_tokens), sum(output_tokens),
      sum(cache_read_tokens), sum(cache_write_tokens), sum(reasoning_tokens), countIf(is_error),
      sum(duration_ms), quantilesTDigestState(0.5, 0.95, 0.99)(duration_ms), ${overviewRollupFromSpans}
    FROM ${spans}
    ARRAY JOIN ${dimensionKeyPairsSql} AS pair
    GROUP BY dimension, hour, key`;
}
