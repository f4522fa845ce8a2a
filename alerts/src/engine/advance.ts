import type { AlertInstance, AlertRule, Evaluation, Notification, Silence } from '../model';
import { alertLabels } from './alert-labels';
import { fingerprint } from './fingerprint';
import { firingKey, repeatKey, resolvedKey } from './notification-key';
import { silencedBy } from './silence-match';

/** A notification the state machine decided on, with what the evaluator needs to claim and record it. */
export interface PlannedNotification extends Notification {
  /** The same on every replica computing the same state; see notification-key.ts. */
  key: string;
  /** The silences muting it; when there are any, `channels` is empty. */
  silenced_by: string[];
}

export interface AdvanceInput {
  rule: AlertRule;
  evaluation: Evaluation;
  /** The last known instances by fingerprint; instances of other rules are ignored. */
  previous: ReadonlyMap<string, AlertInstance>;
  /** Epoch ms: the evaluation's instant. */
  now: number;
  repeatIntervalMs: number;
  silences: readonly Silence[];
  /** Renders the rule's annotation templates for an instance whose state and value are set. */
  renderAnnotations: (instance: AlertInstance) => { summary: string; description: string };
}

export interface AdvanceResult {
  /** Every instance of the rule after this evaluation, to be saved. */
  instances: AlertInstance[];
  notifications: PlannedNotification[];
}

type Phase = 'inactive' | 'pending' | 'firing';

/**
 * One evaluation's step of the alert lifecycle, a pure function of the
 * previous instances, the evaluation and the clock.
 *
 * For a successful evaluation each group moves inactive → pending (condition
 * holds) → firing (held for `for_ms`; one firing notification) and back:
 * pending drops to inactive silently when the condition clears; firing keeps
 * firing for `keep_firing_for_ms` after it clears, then resolves (one resolved
 * notification). Groups missing from a successful evaluation count as not
 * breaching. A firing instance is notified again once `repeatIntervalMs` has
 * passed since the last delivered notification.
 *
 * `no_data` and `error` evaluations are handled in `markUnknown`.
 */
export function advance(input: AdvanceInput): AdvanceResult {
  const previous = [...input.previous.values()].filter((instance) => instance.rule === input.rule.name);
  if (input.evaluation.kind !== 'ok') return markUnknown(input, previous);

  const instances: AlertInstance[] = [];
  const notifications: PlannedNotification[] = [];
  const seen = new Set<string>();
  const record = (result: StepResult): void => {
    instances.push(result.instance);
    if (result.notification) notifications.push(result.notification);
  };
  for (const sample of input.evaluation.samples) {
    const fp = fingerprint(input.rule.name, sample.labels);
    // A query returns one row per group; should it repeat a group, the first row stands.
    if (seen.has(fp)) continue;
    seen.add(fp);
    record(step(input, input.previous.get(fp), fp, sample.labels, sample));
  }
  for (const prev of previous) {
    if (seen.has(prev.fingerprint)) continue;
    record(step(input, prev, prev.fingerprint, prev.labels, { value: null, breaching: false }));
  }
  return { instances, notifications };
}

/**
 * Where an instance is in its lifecycle. An instance in no_data or error
 * remembers whether it was firing through `firing_since` (markUnknown clears
 * it otherwise), so that a firing alert interrupted by missing data carries on
 * without a second page, and resolves normally once data shows it cleared.
 */
function phaseOf(prev: AlertInstance | undefined): Phase {
  if (!prev) return 'inactive';
  switch (prev.state) {
    case 'inactive':
    case 'pending':
    case 'firing':
      return prev.state;
    case 'no_data':
    case 'error':
      return prev.firing_since !== null ? 'firing' : 'inactive';
  }
}

interface StepResult {
  instance: AlertInstance;
  notification?: PlannedNotification;
}

function step(
  input: AdvanceInput,
  prev: AlertInstance | undefined,
  fp: string,
  labels: Record<string, string>,
  sample: { value: number | null; baseline?: number; breaching: boolean },
): StepResult {
  const { rule, now } = input;
  const next: AlertInstance = {
    fingerprint: fp,
    rule: rule.name,
    labels,
    severity: rule.severity,
    state: 'inactive',
    value: sample.value,
    baseline: sample.baseline ?? null,
    active_since: prev?.active_since ?? null,
    firing_since: prev?.firing_since ?? null,
    cleared_since: prev?.cleared_since ?? null,
    resolved_at: prev?.resolved_at ?? null,
    last_evaluated: now,
    last_notified: prev?.last_notified ?? null,
    summary: '',
    description: '',
  };
  const muted = silencedBy(input.silences, alertLabels(rule, labels), now);
  let planned: { kind: Notification['kind']; key: string; deliver: boolean } | undefined;

  let phase = phaseOf(prev);
  if (phase === 'inactive' && sample.breaching) {
    phase = 'pending';
    next.active_since = now;
  }
  if (phase === 'pending') {
    if (!sample.breaching) {
      next.state = 'inactive';
      next.active_since = null;
    } else if (now - (next.active_since ?? now) >= rule.for_ms) {
      next.state = 'firing';
      next.firing_since = now;
      next.cleared_since = null;
      next.resolved_at = null;
      // last_notified counts delivered pages only: a silenced first page
      // leaves it null, so the alert is paged as soon as the silence ends.
      next.last_notified = muted.length === 0 ? now : null;
      planned = { kind: 'firing', key: firingKey(fp, now), deliver: muted.length === 0 };
    } else {
      next.state = 'pending';
    }
  } else if (phase === 'firing') {
    const firingSince = next.firing_since ?? now;
    next.firing_since = firingSince;
    if (sample.breaching) next.cleared_since = null;
    else next.cleared_since ??= now;
    if (next.cleared_since !== null && now - next.cleared_since >= rule.keep_firing_for_ms) {
      next.state = 'inactive';
      next.resolved_at = now;
      next.active_since = null;
      next.cleared_since = null;
      // A resolve goes only where the firing page went: not when silenced
      // now, and not when no page of this episode was ever delivered.
      planned = { kind: 'resolved', key: resolvedKey(fp, firingSince), deliver: muted.length === 0 && next.last_notified !== null };
    } else {
      next.state = 'firing';
      const due = next.last_notified === null || now - next.last_notified >= input.repeatIntervalMs;
      if (due && muted.length === 0) {
        next.last_notified = now;
        planned = { kind: 'firing', key: repeatKey(fp, firingSince, now, input.repeatIntervalMs), deliver: true };
      }
    }
  } else {
    next.state = 'inactive';
    next.active_since = null;
  }

  Object.assign(next, input.renderAnnotations(next));
  if (!planned) return { instance: next };
  return {
    instance: next,
    notification: {
      kind: planned.kind,
      instance: next,
      rule,
      channels: planned.deliver ? [...rule.channels] : [],
      key: planned.key,
      silenced_by: muted,
    },
  };
}

/**
 * A `no_data` or `error` evaluation, decided like Grafana's default
 * (NoData → NoData, Error → Error): every instance of the rule takes that
 * state, and a rule without instances gets one with no group labels so the
 * state is visible. Nothing is notified either way: unknown data neither
 * fires a new alert nor resolves a firing one. A firing instance keeps its
 * `firing_since` (and stops repeating) so that it carries on firing, without a
 * new page, if data returns still breaching, and resolves once it does not;
 * a pending instance loses its progress and starts over.
 */
function markUnknown(input: AdvanceInput, previous: AlertInstance[]): AdvanceResult {
  const { rule, now, evaluation } = input;
  const state = evaluation.kind === 'error' ? 'error' : 'no_data';
  const known = previous.length > 0 ? previous : [emptyInstance(rule, now)];
  const text =
    evaluation.kind === 'error'
      ? { summary: `${rule.name}: evaluation failed`, description: evaluation.message }
      : { summary: `${rule.name}: no data`, description: `No data in the rule's window for ${rule.metric}; the alert state is unknown.` };
  const instances = known.map((prev): AlertInstance => {
    const firing = phaseOf(prev) === 'firing';
    return {
      ...prev,
      severity: rule.severity,
      state,
      value: null,
      baseline: null,
      active_since: firing ? prev.active_since : null,
      firing_since: firing ? prev.firing_since : null,
      cleared_since: firing ? prev.cleared_since : null,
      last_evaluated: now,
      ...text,
    };
  });
  return { instances, notifications: [] };
}

function emptyInstance(rule: AlertRule, now: number): AlertInstance {
  return {
    fingerprint: fingerprint(rule.name, {}),
    rule: rule.name,
    labels: {},
    severity: rule.severity,
    state: 'inactive',
    value: null,
    baseline: null,
    active_since: null,
    firing_since: null,
    cleared_since: null,
    resolved_at: null,
    last_evaluated: now,
    last_notified: null,
    summary: '',
    description: '',
  };
}
