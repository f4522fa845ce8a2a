/**
 * The alert engine's shared vocabulary. Rules are loaded from YAML into
 * `AlertRule`; a metric query turns a rule into an `Evaluation` (one sample
 * per group, or no data, or an error); the state machine turns evaluations
 * into `AlertInstance` states and `Notification`s; notifiers deliver them.
 */

export const severities = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof severities)[number];

/** Metrics a rule can use. */
export const alertMetrics = [
  'cost_total', // USD over the window
  'cost_per_call', // USD per call over the window
  'cost_per_hour', // USD per hour over the window
  'calls',
  'error_rate', // errors / calls, 0..1
  'latency_p50_ms',
  'latency_p95_ms',
  'latency_p99_ms',
  'ttft_p95_ms', // time to first token
  'tokens_per_second', // output tokens / seconds of generation
  'satisfaction_rate', // positive / votes, 0..1, needs min_votes
  'cache_hit_rate', // cache-read input tokens / input tokens, 0..1
  'unpriced_calls',
  'user_error_rate', // error rate grouped by user
  'call_cost_max', // the most expensive single call in the window (anomaly)
  'call_latency_max_ms', // the slowest single call in the window (anomaly)
  'drift_detected', // 1 when the drift job's latest run flagged the subject, else 0
] as const;
export type AlertMetric = (typeof alertMetrics)[number];

/** Span dimensions a rule can filter and group by. */
export const alertDimensions = ['feature', 'model', 'prompt', 'user', 'provider'] as const;
export type AlertDimension = (typeof alertDimensions)[number];

export type Comparison = '>' | '>=' | '<' | '<=';

export interface AlertCondition {
  op: Comparison;
  /** Absolute threshold: value op threshold. */
  threshold?: number;
  /**
   * Relative: value op factor × baseline, the baseline being the same metric
   * over `window_ms` before the rule's window (e.g. 7 days for latency, 24 h for cost).
   */
  baseline?: { window_ms: number; factor: number };
}

export interface AlertRule {
  name: string;
  /** The YAML file it came from, for messages. */
  file: string;
  metric: AlertMetric;
  /** Exact-match filters on span dimensions. */
  filters: Partial<Record<AlertDimension, string>>;
  /** One alert instance per distinct combination of these. */
  group_by: AlertDimension[];
  window_ms: number;
  condition: AlertCondition;
  /** The condition must hold this long before the alert fires (pending until then). */
  for_ms: number;
  /** A firing alert keeps firing this long after the condition clears (against flapping). */
  keep_firing_for_ms: number;
  /** Groups with fewer votes have no satisfaction data (satisfaction_rate only). */
  min_votes: number;
  severity: Severity;
  labels: Record<string, string>;
  /** Templates: `{{ value }}`, `{{ threshold }}`, `{{ baseline }}`, `{{ labels.feature }}`, … */
  annotations: { summary: string; description: string };
  /** Names of configured channels to notify. */
  channels: string[];
}

/** One group's value at an evaluation. */
export interface Sample {
  /** The group-by dimensions and their values, e.g. { feature: 'search' }. */
  labels: Record<string, string>;
  value: number;
  /** The baseline value for relative conditions, when there was one. */
  baseline?: number;
  /** Whether the condition holds for this sample. */
  breaching: boolean;
}

export type Evaluation =
  | { kind: 'ok'; samples: Sample[] }
  /** No spans (or votes) in the window for any group: its own state, never "ok". */
  | { kind: 'no_data' }
  | { kind: 'error'; message: string };

export const alertStates = ['inactive', 'pending', 'firing', 'no_data', 'error'] as const;
export type AlertState = (typeof alertStates)[number];

/** One alert instance: a rule and a group, identified by a fingerprint of both. */
export interface AlertInstance {
  fingerprint: string;
  rule: string;
  labels: Record<string, string>;
  severity: Severity;
  state: AlertState;
  value: number | null;
  baseline: number | null;
  /** When the condition started to hold (pending since). */
  active_since: number | null;
  firing_since: number | null;
  /** When the condition last stopped holding while firing (for keep_firing_for). */
  cleared_since: number | null;
  resolved_at: number | null;
  last_evaluated: number;
  /** When the last firing notification went out (for repeat_interval). */
  last_notified: number | null;
  summary: string;
  description: string;
}

export interface Notification {
  kind: 'firing' | 'resolved';
  instance: AlertInstance;
  rule: AlertRule;
  /** Channel names to deliver to (silenced instances produce none). */
  channels: string[];
}

export interface Silence {
  id: string;
  /** Label matchers, all of which must match an instance's labels (rule name as `alertname`). */
  matchers: Array<{ name: string; value: string; regex?: boolean }>;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
}
