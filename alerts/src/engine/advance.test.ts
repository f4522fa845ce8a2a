import { describe, expect, it } from 'vitest';
import type { AlertInstance, AlertRule, Evaluation, Silence } from '../model';
import { advance, type AdvanceResult } from './advance';
import { fingerprint } from './fingerprint';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-03-01T12:00:00Z');

function makeRule(overrides: Partial<AlertRule> = {}): AlertRule {
  return {
    name: 'search-cost',
    file: 'rules/cost.yaml',
    metric: 'cost_per_hour',
    filters: {},
    group_by: ['feature'],
    window_ms: 5 * MIN,
    condition: { op: '>', threshold: 10 },
    for_ms: 5 * MIN,
    keep_firing_for_ms: 10 * MIN,
    min_votes: 0,
    severity: 'critical',
    labels: { team: 'ml' },
    annotations: { summary: 'cost {{ value }}', description: '' },
    channels: ['ops'],
    ...overrides,
  };
}

/** Drives one rule through evaluations on a hand-set clock, carrying state like the evaluator loop does. */
function driver(rule: AlertRule, options: { repeatIntervalMs?: number; silences?: Silence[] } = {}) {
  let state = new Map<string, AlertInstance>();
  const silences = options.silences ?? [];
  return {
    silences,
    get state() {
      return state;
    },
    set state(next: Map<string, AlertInstance>) {
      state = next;
    },
    at(now: number, evaluation: Evaluation): AdvanceResult {
      const result = advance({
        rule,
        evaluation,
        previous: state,
        now,
        repeatIntervalMs: options.repeatIntervalMs ?? 4 * HOUR,
        silences,
        renderAnnotations: (instance) => ({ summary: `cost ${instance.value}`, description: `state ${instance.state}` }),
      });
      state = new Map([...state, ...result.instances.map((i) => [i.fingerprint, i] as const)]);
      return result;
    },
  };
}

const search = { feature: 'search' };
const breach = (value = 12): Evaluation => ({ kind: 'ok', samples: [{ labels: search, value, breaching: true }] });
const calm = (value = 3): Evaluation => ({ kind: 'ok', samples: [{ labels: search, value, breaching: false }] });
const fp = fingerprint('search-cost', search);

describe('advance: pending and firing', () => {
  it('goes pending when the condition holds and fires once it has held for `for`', () => {
    const d = driver(makeRule());
    const first = d.at(T0, breach());
    expect(first.notifications).toEqual([]);
    expect(first.instances).toMatchObject([{ fingerprint: fp, state: 'pending', active_since: T0, firing_since: null, value: 12 }]);
    expect(d.at(T0 + 4 * MIN, breach()).instances[0]?.state).toBe('pending');

    const fired = d.at(T0 + 5 * MIN, breach(13));
    expect(fired.instances[0]).toMatchObject({ state: 'firing', active_since: T0, firing_since: T0 + 5 * MIN, last_notified: T0 + 5 * MIN, summary: 'cost 13' });
    expect(fired.notifications).toHaveLength(1);
    expect(fired.notifications[0]).toMatchObject({ kind: 'firing', channels: ['ops'], key: `${fp}:firing:${T0 + 5 * MIN}`, silenced_by: [] });
    expect(fired.notifications[0]?.instance.labels).toEqual(search);

    // Still breaching: still firing, and no second page before the repeat interval.
    expect(d.at(T0 + 6 * MIN, breach()).notifications).toEqual([]);
    expect(d.state.get(fp)?.state).toBe('firing');
  });

  it('fires on the first breaching evaluation when `for` is zero', () => {
    const d = driver(makeRule({ for_ms: 0 }));
    const result = d.at(T0, breach());
    expect(result.instances[0]?.state).toBe('firing');
    expect(result.notifications.map((n) => n.kind)).toEqual(['firing']);
  });

  it('does not fire when the condition clears before `for` has passed, and starts over', () => {
    const d = driver(makeRule());
    d.at(T0, breach());
    const cleared = d.at(T0 + 3 * MIN, calm());
    expect(cleared.instances[0]).toMatchObject({ state: 'inactive', active_since: null });
    expect(cleared.notifications).toEqual([]);
    expect(d.at(T0 + 4 * MIN, breach()).instances[0]).toMatchObject({ state: 'pending', active_since: T0 + 4 * MIN });
    // 5 minutes after the first breach, but only 4 after the second: still pending.
    expect(d.at(T0 + 8 * MIN, breach()).instances[0]?.state).toBe('pending');
    expect(d.at(T0 + 9 * MIN, breach()).notifications.map((n) => n.kind)).toEqual(['firing']);
  });
});

describe('advance: resolving', () => {
  it('holds a flapping alert with keep_firing_for and sends exactly one resolve', () => {
    const d = driver(makeRule({ for_ms: 0, keep_firing_for_ms: 10 * MIN }));
    const kinds: string[] = [];
    const run = (t: number, e: Evaluation) => kinds.push(...d.at(t, e).notifications.map((n) => n.kind));
    run(T0, breach());
    // Flaps: clear, breach, clear within keep_firing_for: keeps firing, no resolve.
    run(T0 + 1 * MIN, calm());
    expect(d.state.get(fp)).toMatchObject({ state: 'firing', cleared_since: T0 + 1 * MIN });
    run(T0 + 2 * MIN, breach());
    expect(d.state.get(fp)).toMatchObject({ state: 'firing', cleared_since: null });
    run(T0 + 3 * MIN, calm());
    run(T0 + 12 * MIN, calm()); // 9 minutes clear
    expect(d.state.get(fp)?.state).toBe('firing');
    expect(kinds).toEqual(['firing']);

    const resolved = d.at(T0 + 13 * MIN, calm()); // 10 minutes clear
    expect(resolved.notifications).toHaveLength(1);
    expect(resolved.notifications[0]).toMatchObject({ kind: 'resolved', channels: ['ops'], key: `${fp}:resolved:${T0}` });
    expect(resolved.instances[0]).toMatchObject({ state: 'inactive', resolved_at: T0 + 13 * MIN, firing_since: T0, value: 3 });
    for (let t = T0 + 14 * MIN; t < T0 + 60 * MIN; t += MIN) run(t, calm());
    expect(kinds).toEqual(['firing']);
  });

  it('treats a group missing from a successful evaluation as not breaching', () => {
    const d = driver(makeRule({ for_ms: 0, keep_firing_for_ms: 0 }));
    d.at(T0, breach());
    const other: Evaluation = { kind: 'ok', samples: [{ labels: { feature: 'chat' }, value: 1, breaching: false }] };
    const result = d.at(T0 + MIN, other);
    expect(result.notifications).toMatchObject([{ kind: 'resolved', instance: { fingerprint: fp, state: 'inactive', value: null } }]);
    expect(result.instances.map((i) => i.labels.feature).sort()).toEqual(['chat', 'search']);
  });
});

describe('advance: repeats', () => {
  it('notifies a firing alert again once per repeat interval', () => {
    const d = driver(makeRule({ for_ms: 0 }), { repeatIntervalMs: HOUR });
    const sent: Array<[number, string]> = [];
    for (let t = T0; t <= T0 + 150 * MIN; t += MIN) {
      for (const n of d.at(t, breach()).notifications) sent.push([(t - T0) / MIN, n.key]);
    }
    expect(sent).toEqual([
      [0, `${fp}:firing:${T0}`],
      [60, `${fp}:repeat:${T0}:1`],
      [120, `${fp}:repeat:${T0}:2`],
    ]);
  });
});

describe('advance: silences', () => {
  const silence = (overrides: Partial<Silence> = {}): Silence => ({
    id: 'sil-1',
    matchers: [
      { name: 'alertname', value: 'search-cost' },
      { name: 'feature', value: 'sea.*', regex: true },
    ],
    starts_at: T0 - HOUR,
    ends_at: T0 + 30 * MIN,
    created_by: 'ana',
    comment: 'planned re-index',
    ...overrides,
  });

  it('suppresses a firing alert while active, keeps its state, and pages when the silence expires', () => {
    const d = driver(makeRule({ for_ms: 0 }), { repeatIntervalMs: HOUR, silences: [silence()] });
    const fired = d.at(T0, breach());
    expect(fired.instances[0]).toMatchObject({ state: 'firing', last_notified: null });
    expect(fired.notifications).toMatchObject([{ kind: 'firing', channels: [], silenced_by: ['sil-1'], key: `${fp}:firing:${T0}` }]);
    for (let t = T0 + MIN; t < T0 + 30 * MIN; t += MIN) expect(d.at(t, breach()).notifications).toEqual([]);
    // The silence ends at T0+30m: the alert was never paged, so it is paged at the next evaluation.
    const after = d.at(T0 + 30 * MIN, breach());
    expect(after.notifications).toMatchObject([{ kind: 'firing', channels: ['ops'], silenced_by: [] }]);
    expect(after.instances[0]?.last_notified).toBe(T0 + 30 * MIN);
    expect(d.at(T0 + 31 * MIN, breach()).notifications).toEqual([]);
  });

  it('matches rule labels and severity, and leaves other alerts alone', () => {
    const bySeverity = silence({ matchers: [{ name: 'severity', value: 'critical|warning', regex: true }, { name: 'team', value: 'ml' }] });
    const d = driver(makeRule({ for_ms: 0 }), { silences: [bySeverity] });
    expect(d.at(T0, breach()).notifications[0]?.channels).toEqual([]);
    const other = driver(makeRule({ for_ms: 0 }), { silences: [silence({ matchers: [{ name: 'feature', value: 'sea' }] })] });
    expect(other.at(T0, breach()).notifications[0]?.channels).toEqual(['ops']);
  });

  it('sends no resolve for an episode whose page was never delivered', () => {
    const d = driver(makeRule({ for_ms: 0, keep_firing_for_ms: 0 }), { silences: [silence()] });
    d.at(T0, breach());
    const resolved = d.at(T0 + 40 * MIN, calm()); // silence expired, but nobody was paged
    expect(resolved.notifications).toMatchObject([{ kind: 'resolved', channels: [] }]);
  });

  it('suppresses the resolve of a paged alert resolved while silenced', () => {
    const d = driver(makeRule({ for_ms: 0, keep_firing_for_ms: 0 }));
    expect(d.at(T0 - 10 * MIN, breach()).notifications[0]?.channels).toEqual(['ops']);
    d.silences.push(silence());
    expect(d.at(T0, calm()).notifications).toMatchObject([{ kind: 'resolved', channels: [], silenced_by: ['sil-1'] }]);
  });
});

describe('advance: restart', () => {
  it('sends nothing new when a firing alert is reloaded into a fresh evaluator', () => {
    const rule = makeRule({ for_ms: 0 });
    const before = driver(rule, { repeatIntervalMs: HOUR });
    expect(before.at(T0, breach()).notifications).toHaveLength(1);
    before.at(T0 + MIN, breach());

    // A new process: the saved instances, as plain data, are all it knows.
    const after = driver(rule, { repeatIntervalMs: HOUR });
    after.state = new Map(JSON.parse(JSON.stringify([...before.state])) as Array<[string, AlertInstance]>);
    for (let t = T0 + 2 * MIN; t < T0 + 60 * MIN; t += MIN) expect(after.at(t, breach()).notifications).toEqual([]);
    expect(after.at(T0 + 60 * MIN, breach()).notifications.map((n) => n.key)).toEqual([`${fp}:repeat:${T0}:1`]);
  });
});

describe('advance: no data and errors', () => {
  it('moves a firing alert to no_data without resolving it, and carries on when data returns', () => {
    const d = driver(makeRule({ for_ms: 0, keep_firing_for_ms: 0 }), { repeatIntervalMs: HOUR });
    d.at(T0, breach());
    const gap = d.at(T0 + MIN, { kind: 'no_data' });
    expect(gap.notifications).toEqual([]);
    expect(gap.instances).toMatchObject([{ fingerprint: fp, state: 'no_data', firing_since: T0, value: null, summary: 'search-cost: no data' }]);
    expect(d.at(T0 + 2 * MIN, { kind: 'no_data' }).instances[0]?.state).toBe('no_data');

    const back = d.at(T0 + 3 * MIN, breach());
    expect(back.notifications).toEqual([]); // no second page for the same episode
    expect(back.instances[0]).toMatchObject({ state: 'firing', firing_since: T0 });
    d.at(T0 + 4 * MIN, { kind: 'error', message: 'ClickHouse: timeout' });
    expect(d.at(T0 + 5 * MIN, calm()).notifications).toMatchObject([{ kind: 'resolved', key: `${fp}:resolved:${T0}`, channels: ['ops'] }]);
  });

  it('never fires from no_data, and a pending instance starts over', () => {
    const d = driver(makeRule({ for_ms: 5 * MIN }));
    d.at(T0, breach());
    expect(d.at(T0 + 2 * MIN, { kind: 'no_data' }).instances[0]).toMatchObject({ state: 'no_data', active_since: null, firing_since: null });
    expect(d.at(T0 + 6 * MIN, breach()).instances[0]).toMatchObject({ state: 'pending', active_since: T0 + 6 * MIN });
  });

  it('gives a rule without instances one instance in no_data or error, with the error in its description', () => {
    const d = driver(makeRule());
    const noData = d.at(T0, { kind: 'no_data' });
    expect(noData.instances).toMatchObject([{ fingerprint: fingerprint('search-cost', {}), labels: {}, state: 'no_data' }]);
    const failed = d.at(T0 + MIN, { kind: 'error', message: 'Code: 60. Table does not exist' });
    expect(failed.instances).toMatchObject([{ state: 'error', description: 'Code: 60. Table does not exist' }]);
    expect(failed.notifications).toEqual([]);
    // Data returns: the rule-level instance is not among the groups, so it goes inactive.
    const ok = d.at(T0 + 2 * MIN, calm());
    expect(ok.instances.map((i) => [i.labels.feature ?? '', i.state])).toEqual([
      ['search', 'inactive'],
      ['', 'inactive'],
    ]);
  });

  it('ignores instances of other rules', () => {
    const d = driver(makeRule());
    d.state = new Map([['x', { ...d.at(T0, breach()).instances[0]!, fingerprint: 'x', rule: 'other', state: 'firing' }]]);
    expect(d.at(T0 + MIN, { kind: 'no_data' }).instances.map((i) => i.rule)).toEqual(['search-cost']);
  });
});
