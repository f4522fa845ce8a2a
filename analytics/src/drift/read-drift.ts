import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { isoOfClickHouse } from '../time/clickhouse-time';
import type { DriftTest } from './drift-job';

export interface DriftReport {
  /** Null before the drift job's first run. */
  current: { start: string; end: string } | null;
  reference: { start: string; end: string } | null;
  computed_at: string | null;
  tests: DriftTest[];
}

/** Every test of the drift job's latest run, drifted ones first, then by adjusted p. */
export async function readDrift(client: ClickHouseClient, database: string, options: { driftedOnly?: boolean } = {}): Promise<DriftReport> {
  const table = tableName(database, 'drift_tests');
  const result = await client.query({
    query: `SELECT * FROM ${table} FINAL
            WHERE window_end = (SELECT max(window_end) FROM ${table}) ${options.driftedOnly ? 'AND drifted = 1' : ''}
            ORDER BY drifted DESC, p_adjusted, subject_kind, subject, metric`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, string | number>>();
  const first = rows[0];
  return {
    current: first ? { start: isoOfClickHouse(first.current_start), end: isoOfClickHouse(first.current_end) } : null,
    reference: first ? { start: isoOfClickHouse(first.reference_start), end: isoOfClickHouse(first.reference_end) } : null,
    computed_at: first ? isoOfClickHouse(first.computed_at) : null,
    tests: rows.map((row) => ({
      subject_kind: row.subject_kind as DriftTest['subject_kind'],
      subject: String(row.subject),
      metric: row.metric as DriftTest['metric'],
      n_current: Number(row.n_current),
      n_reference: Number(row.n_reference),
      d: Number(row.d),
      p_value: Number(row.p_value),
      p_adjusted: Number(row.p_adjusted),
      method: row.method as DriftTest['method'],
      drifted: Number(row.drifted) === 1,
    })),
  };
}
