import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { alertStates, severities, type AlertInstance, type AlertState, type Severity } from '../model';
import { dateTime64Text, nullableDateTime64Text, nullableNumber } from './clickhouse-time';

interface InstanceRow {
  fingerprint: string;
  rule: string;
  labels: Record<string, string>;
  severity: string;
  state: string;
  value: number | null;
  baseline: number | null;
  active_since: string | null;
  firing_since: string | null;
  cleared_since: string | null;
  resolved_at: string | null;
  last_evaluated: string;
  last_notified: string | null;
  summary: string;
  description: string;
}

const timeColumns = ['active_since', 'firing_since', 'cleared_since', 'resolved_at', 'last_notified'] as const;

/**
 * The latest version of every alert instance. The table is small (one row
 * per rule and group, a version per evaluation until merges), so the latest
 * version is picked with LIMIT 1 BY rather than FINAL.
 */
export async function loadInstances(client: ClickHouseClient, database: string): Promise<Map<string, AlertInstance>> {
  const times = timeColumns.map((column) => `toUnixTimestamp64Milli(${column}) AS ${column}`).join(', ');
  const result = await client.query({
    query: `SELECT fingerprint, rule, labels, severity, state, value, baseline, ${times},
                   toUnixTimestamp64Milli(last_evaluated) AS last_evaluated, summary, description
            FROM (
              -- An instance inactive for a day is forgotten: it is no longer
              -- written (see the evaluator), and a new breach starts afresh.
              SELECT *, state = 'inactive' AND last_evaluated < now64(3, 'UTC') - INTERVAL 1 DAY AS forgotten
              FROM ${tableName(database, 'alert_instances')}
              ORDER BY fingerprint, version DESC
              LIMIT 1 BY fingerprint
            )
            WHERE NOT forgotten`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<InstanceRow>();
  return new Map(rows.map((row) => [row.fingerprint, toInstance(row)]));
}

function toInstance(row: InstanceRow): AlertInstance {
  return {
    fingerprint: row.fingerprint,
    rule: row.rule,
    labels: row.labels,
    severity: (severities as readonly string[]).includes(row.severity) ? (row.severity as Severity) : 'warning',
    state: (alertStates as readonly string[]).includes(row.state) ? (row.state as AlertState) : 'error',
    value: row.value,
    baseline: row.baseline,
    active_since: nullableNumber(row.active_since),
    firing_since: nullableNumber(row.firing_since),
    cleared_since: nullableNumber(row.cleared_since),
    resolved_at: nullableNumber(row.resolved_at),
    last_evaluated: Number(row.last_evaluated),
    last_notified: nullableNumber(row.last_notified),
    summary: row.summary,
    description: row.description,
  };
}

/**
 * Writes instances in one insert. `version` should be the evaluation's time
 * in ms, so that the latest evaluation's write wins on reload and on every
 * replica.
 */
export async function saveInstances(client: ClickHouseClient, database: string, instances: readonly AlertInstance[], version: number): Promise<void> {
  if (instances.length === 0) return;
  await client.insert({
    table: tableName(database, 'alert_instances'),
    values: instances.map((instance) => ({
      ...instance,
      active_since: nullableDateTime64Text(instance.active_since),
      firing_since: nullableDateTime64Text(instance.firing_since),
      cleared_since: nullableDateTime64Text(instance.cleared_since),
      resolved_at: nullableDateTime64Text(instance.resolved_at),
      last_evaluated: dateTime64Text(instance.last_evaluated),
      last_notified: nullableDateTime64Text(instance.last_notified),
      version,
    })),
    format: 'JSONEachRow',
  });
}
