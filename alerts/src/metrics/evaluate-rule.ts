import type { ClickHouseClient } from '@clickhouse/client';
import type { AlertCondition, AlertMetric, AlertRule, Evaluation, Sample } from '../model';
import { metricQuery, type TimeRange } from './metric-sql';

/**
 * Metrics that add up over time (a total, a count): their baseline, taken
 * over a longer window, is scaled to the rule's window (the average per
 * window) before comparing. Every other metric is already comparable across
 * windows: a ratio, a percentile, a maximum, or cost_per_hour, which divides
 * each window's cost by that window's own hours.
 */
const summedOverTime: ReadonlySet<AlertMetric> = new Set(['cost_total', 'calls', 'unpriced_calls']);

/** The factor a baseline of `metric` over `baselineMs` is multiplied by to compare with a window of `windowMs`. */
export function baselineScale(metric: AlertMetric, windowMs: number, baselineMs: number): number {
  return summedOverTime.has(metric) ? windowMs / baselineMs : 1;
}

/**
 * Whether a value meets the condition: `value op threshold`, or
 * `value op factor × baseline`. A group with no baseline (new in the window)
 * cannot meet a relative condition.
 */
export function meetsCondition(condition: AlertCondition, value: number, baseline: number | undefined): boolean {
  let bound: number;
  if (condition.baseline) {
    if (baseline === undefined || !Number.isFinite(baseline)) return false;
    bound = condition.baseline.factor * baseline;
  } else if (condition.threshold !== undefined) {
    bound = condition.threshold;
  } else {
    return false;
  }
  if (!Number.isFinite(value)) return false;
  switch (condition.op) {
    case '>':
      return value > bound;
    case '>=':
      return value >= bound;
    case '<':
      return value < bound;
    case '<=':
      return value <= bound;
  }
}

type Row = Record<string, string | number>;

async function queryGroups(client: ClickHouseClient, database: string, rule: AlertRule, range: TimeRange): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const { query, params, labels } = metricQuery(database, rule, range);
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  const rows = await result.json<Row>();
  return rows.map((row) => ({
    labels: Object.fromEntries(labels.map((label, i) => [label, String(row[`l${i}`])])),
    value: Number(row.value),
  }));
}

const keyOf = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The rule's metric per group over [now − window, now), and for a relative
 * condition the same metric over the baseline window just before it. A group
 * without calls (or votes) in the window is absent; with no group at all the
 * result is no_data. A failed query is an error value, never a throw.
 */
export async function evaluateRule(client: ClickHouseClient, database: string, rule: AlertRule, now: Date): Promise<Evaluation> {
  const endMs = now.getTime();
  const startMs = endMs - rule.window_ms;
  try {
    const current = await queryGroups(client, database, rule, { startMs, endMs });
    if (current.length === 0) return { kind: 'no_data' };

    const baselines = new Map<string, number>();
    const relative = rule.condition.baseline;
    if (relative) {
      const scale = baselineScale(rule.metric, rule.window_ms, relative.window_ms);
      const before = await queryGroups(client, database, rule, { startMs: startMs - relative.window_ms, endMs: startMs });
      for (const group of before) baselines.set(keyOf(group.labels), group.value * scale);
    }

    const samples: Sample[] = current.map(({ labels, value }) => {
      const baseline = baselines.get(keyOf(labels));
      return {
        labels,
        value,
        ...(baseline !== undefined ? { baseline } : {}),
        breaching: meetsCondition(rule.condition, value, baseline),
      };
    });
    return { kind: 'ok', samples };
  } catch (error) {
    return { kind: 'error', message: `rule "${rule.name}" (${rule.metric}): ${(error as Error).message}` };
  }
}
