import { tableName } from '@spanlens/core';
import type { AlertDimension, AlertMetric, AlertRule } from '../model';

/** A query of one metric per group: columns l0..ln (the group's labels) and value. */
export interface MetricQuery {
  query: string;
  params: Record<string, unknown>;
  /** The label name of each l<i> column. */
  labels: string[];
}

/** A time range [start, end) in epoch milliseconds. */
export interface TimeRange {
  startMs: number;
  endMs: number;
}

/**
 * Each dimension's label value as SQL over llm_spans columns. A prompt is
 * `id@version`, or `id` when it has no version, as in the cost API.
 */
const dimensionSql: Record<AlertDimension, string> = {
  feature: 'toString(feature)',
  model: 'toString(model)',
  provider: 'toString(provider)',
  user: 'user_id',
  prompt: "if(prompt_version = '', toString(prompt_id), concat(prompt_id, '@', prompt_version))",
};
const dimensionColumns = ['feature', 'model', 'provider', 'user_id', 'prompt_id', 'prompt_version'];

type SpanMetric = Exclude<AlertMetric, 'satisfaction_rate' | 'drift_detected'>;

/**
 * Each span metric as an aggregate, with the calls it is taken over. A group
 * whose qualifying calls are none (all unpriced for a cost per call, none
 * with a TTFT) has no data rather than a zero.
 */
const spanMetrics: Record<SpanMetric, { value: string; rows?: string }> = {
  cost_total: { value: 'sum(ifNull(cost_usd, 0))' },
  cost_per_call: { value: 'avg(assumeNotNull(cost_usd))', rows: 'cost_usd IS NOT NULL' },
  cost_per_hour: { value: 'sum(ifNull(cost_usd, 0)) / {hours:Float64}' },
  calls: { value: 'count()' },
  error_rate: { value: 'countIf(is_error) / count()' },
  latency_p50_ms: { value: 'quantileExact(0.5)(duration_ms)' },
  latency_p95_ms: { value: 'quantileExact(0.95)(duration_ms)' },
  latency_p99_ms: { value: 'quantileExact(0.99)(duration_ms)' },
  ttft_p95_ms: { value: 'quantileExact(0.95)(assumeNotNull(ttft_ms))', rows: 'ttft_ms IS NOT NULL' },
  tokens_per_second: {
    value: 'sum(output_tokens) / sum((duration_ms - ifNull(ttft_ms, 0)) / 1000)',
    rows: 'output_tokens > 0 AND duration_ms > ifNull(ttft_ms, 0)',
  },
  cache_hit_rate: { value: 'sum(cache_read_tokens) / sum(input_tokens)', rows: 'input_tokens > 0' },
  unpriced_calls: { value: 'countIf(unpriced)' },
  user_error_rate: { value: 'countIf(is_error) / count()' },
  call_cost_max: { value: 'max(assumeNotNull(cost_usd))', rows: 'cost_usd IS NOT NULL' },
  call_latency_max_ms: { value: 'max(duration_ms)' },
};
const metricColumns = ['duration_ms', 'is_error', 'ttft_ms', 'input_tokens', 'output_tokens', 'cache_read_tokens', 'cost_usd', 'unpriced'];

/** DateTime64(3) as a query parameter: `YYYY-MM-DD hh:mm:ss.fff` in UTC. */
export function dateTime64Param(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 23).replace('T', ' ');
}

/** The group-by dimensions, with user added for user_error_rate (its groups are users). */
export function groupDimensions(rule: Pick<AlertRule, 'metric' | 'group_by'>): AlertDimension[] {
  return rule.metric === 'user_error_rate' && !rule.group_by.includes('user') ? [...rule.group_by, 'user'] : rule.group_by;
}

/**
 * The filters as SQL conditions with bound values. A prompt filter with a
 * version (`support-answer@3`) matches that version; one without matches
 * every version of the prompt id.
 */
function filterSql(filters: AlertRule['filters'], params: Record<string, unknown>): string[] {
  return Object.entries(filters).map(([dimension, value]) => {
    const param = `filter_${dimension}`;
    params[param] = value;
    if (dimension === 'prompt' && !String(value).includes('@')) return `prompt_id = {${param}:String}`;
    return `${dimensionSql[dimension as AlertDimension]} = {${param}:String}`;
  });
}

/**
 * Spans once each (the latest copy of a span delivered twice), started in the
 * range. Both copies share the sorting key, so FINAL folds them, as the
 * analytics readers do (3.4 times faster than sorting by received_at; see
 * bench/dedupe-probe.ts).
 */
function dedupedSpans(database: string, columns: readonly string[], where: string): string {
  return `(SELECT trace_id, span_id, ${columns.join(', ')}
           FROM ${tableName(database, 'llm_spans')} FINAL
           WHERE ${where})`;
}

function grouped(rule: AlertRule, source: string, value: string, extraWhere: string[], params: Record<string, unknown>, minRows: number): MetricQuery {
  const dimensions = groupDimensions(rule);
  const labelSql = dimensions.map((dimension, i) => `${dimensionSql[dimension]} AS l${i}`);
  const where = [...extraWhere, ...filterSql(rule.filters, params)];
  params.min_rows = minRows;
  return {
    query: `SELECT ${[...labelSql, `toFloat64(${value}) AS value`].join(', ')}
            FROM ${source}
            ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
            ${dimensions.length > 0 ? `GROUP BY ${dimensions.map((_, i) => `l${i}`).join(', ')}` : ''}
            HAVING count() >= {min_rows:UInt64}`,
    params,
    labels: dimensions,
  };
}

function spanMetricQuery(database: string, rule: AlertRule, metric: SpanMetric, range: TimeRange): MetricQuery {
  const params: Record<string, unknown> = {
    start: dateTime64Param(range.startMs),
    end: dateTime64Param(range.endMs),
    hours: (range.endMs - range.startMs) / 3_600_000,
  };
  const definition = spanMetrics[metric];
  const source = dedupedSpans(
    database,
    [...dimensionColumns, ...metricColumns],
    "start_time >= {start:DateTime64(3, 'UTC')} AND start_time < {end:DateTime64(3, 'UTC')}",
  );
  return grouped(rule, source, definition.value, definition.rows ? [definition.rows] : [], params, 1);
}

/**
 * Votes given in the range, each the latest version of its feedback id and
 * positive when its score is at least 0.5, attributed to the span it names,
 * or to the trace's last LLM call (the answer the user saw) when it names
 * only the trace. Votes on traces Spanlens has not stored are left out. A
 * group needs the rule's min_votes to have a rate.
 */
function satisfactionQuery(database: string, rule: AlertRule, range: TimeRange): MetricQuery {
  const params: Record<string, unknown> = { start: dateTime64Param(range.startMs), end: dateTime64Param(range.endMs) };
  const rated = dedupedSpans(database, [...dimensionColumns, 'end_time'], 'trace_id IN (SELECT trace_id FROM votes)');
  const source = `(
    WITH votes AS (
      SELECT feedback_id, argMax(trace_id, received_at) AS trace_id, argMax(span_id, received_at) AS span_id,
             argMax(score, received_at) >= 0.5 AS positive
      FROM ${tableName(database, 'feedback')}
      WHERE created_at >= {start:DateTime64(3, 'UTC')} AND created_at < {end:DateTime64(3, 'UTC')}
      GROUP BY feedback_id
    ),
    rated AS (SELECT * FROM ${rated}),
    last_of_trace AS (SELECT trace_id, argMax(span_id, end_time) AS span_id FROM rated GROUP BY trace_id)
    SELECT v.positive AS positive, r.trace_id AS trace_id, ${dimensionColumns.map((column) => `r.${column} AS ${column}`).join(', ')}
    FROM votes AS v
    LEFT JOIN last_of_trace AS l ON l.trace_id = v.trace_id
    LEFT JOIN rated AS r ON r.trace_id = v.trace_id AND r.span_id = if(v.span_id = '', l.span_id, v.span_id)
    SETTINGS join_use_nulls = 0
  )`;
  return grouped(rule, source, 'countIf(positive) / count()', ["trace_id != ''"], params, rule.min_votes);
}

/**
 * The drift job's latest run that ended in the range: per subject (a feature,
 * or a prompt id), 1 when any of its tests drifted, else 0. Without group_by,
 * one value: 1 when any subject of the kind drifted.
 */
function driftQuery(database: string, rule: AlertRule, range: TimeRange): MetricQuery {
  const table = tableName(database, 'drift_tests');
  const kind = rule.group_by[0] ?? (Object.keys(rule.filters)[0] as AlertDimension | undefined);
  const params: Record<string, unknown> = { start: dateTime64Param(range.startMs), end: dateTime64Param(range.endMs), min_rows: 1 };
  const where = [
    `window_end = (SELECT max(window_end) FROM ${table} WHERE window_end > {start:DateTime64(3, 'UTC')} AND window_end <= {end:DateTime64(3, 'UTC')})`,
  ];
  if (kind !== undefined) {
    params.kind = kind;
    where.push('subject_kind = {kind:String}');
  }
  const filter = Object.values(rule.filters)[0];
  if (filter !== undefined) {
    // Drift tests a prompt by its id across versions.
    params.subject = kind === 'prompt' ? filter.split('@')[0] : filter;
    where.push('subject = {subject:String}');
  }
  const labels = rule.group_by.length > 0 && kind !== undefined ? [kind] : [];
  return {
    query: `SELECT ${labels.length > 0 ? 'subject AS l0, ' : ''}toFloat64(max(drifted)) AS value
            FROM ${table} FINAL
            WHERE ${where.join(' AND ')}
            ${labels.length > 0 ? 'GROUP BY l0' : ''}
            HAVING count() >= {min_rows:UInt64}`,
    params,
    labels,
  };
}

/** The query of a rule's metric over a range, per group. */
export function metricQuery(database: string, rule: AlertRule, range: TimeRange): MetricQuery {
  if (rule.metric === 'satisfaction_rate') return satisfactionQuery(database, rule, range);
  if (rule.metric === 'drift_detected') return driftQuery(database, rule, range);
  return spanMetricQuery(database, rule, rule.metric, range);
}
