import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { isoOfClickHouse as isoOf } from '../time/clickhouse-time';
import type { SatisfactionDimension } from './satisfaction-sql';

export interface SatisfactionRow {
  key: string;
  votes: number;
  positive: number;
  rate: number;
  wilson_low: number;
  wilson_high: number;
  calls: number;
  cost_usd: number;
  cost_per_positive_usd: number | null;
}

export interface SatisfactionReport {
  group_by: SatisfactionDimension;
  /** The window of the latest run of the satisfaction job; null before its first run. */
  window: { start: string; end: string } | null;
  computed_at: string | null;
  rows: SatisfactionRow[];
}

/** The latest satisfaction job results for one grouping, most votes first. */
export async function readSatisfaction(client: ClickHouseClient, database: string, groupBy: SatisfactionDimension): Promise<SatisfactionReport> {
  const result = await client.query({
    query: `SELECT window_start, window_end, key, votes, positive, rate, wilson_low, wilson_high, calls, toFloat64(cost_usd) AS cost_usd, cost_per_positive_usd, computed_at
            FROM ${tableName(database, 'satisfaction')} FINAL
            WHERE dimension = {dimension:String}
              AND window_end = (SELECT max(window_end) FROM ${tableName(database, 'satisfaction')} WHERE dimension = {dimension:String})
            ORDER BY votes DESC, key`,
    query_params: { dimension: groupBy },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, string | number | null>>();
  const first = rows[0];
  return {
    group_by: groupBy,
    window: first ? { start: isoOf(first.window_start), end: isoOf(first.window_end) } : null,
    computed_at: first ? isoOf(first.computed_at) : null,
    rows: rows.map((row) => ({
      key: String(row.key),
      votes: Number(row.votes),
      positive: Number(row.positive),
      rate: Number(row.rate),
      wilson_low: Number(row.wilson_low),
      wilson_high: Number(row.wilson_high),
      calls: Number(row.calls),
      cost_usd: Number(row.cost_usd),
      cost_per_positive_usd: row.cost_per_positive_usd === null ? null : Number(row.cost_per_positive_usd),
    })),
  };
}
