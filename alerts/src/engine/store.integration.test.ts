import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, selectRows, type TestStore } from '@spanlens/core/testing';
import { tableName } from '@spanlens/core';
import type { AlertInstance, AlertRule, Evaluation } from '../model';
import { advance } from './advance';
import { claimNotification, recordDelivery } from './claims';
import { loadInstances, saveInstances } from './instance-store';
import { createSilence, deleteSilence, listSilences } from './silence-store';

const T0 = Date.parse('2026-03-01T12:00:00.123Z');
const MIN = 60_000;

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('alerts_engine_test');
});
afterAll(async () => {
  await store.close();
});

const instance: AlertInstance = {
  fingerprint: 'f00d',
  rule: 'search-cost',
  labels: { feature: 'search', model: 'gpt-4o' },
  severity: 'warning',
  state: 'firing',
  value: 12.5,
  baseline: null,
  active_since: T0,
  firing_since: T0 + 5 * MIN,
  cleared_since: null,
  resolved_at: null,
  last_evaluated: T0 + 6 * MIN,
  last_notified: T0 + 5 * MIN,
  summary: 'cost $12.50/h',
  description: 'above $10/h',
};

describe('alert instances', () => {
  it('round-trip, the highest version winning', async () => {
    await saveInstances(store.client, store.database, [instance], 2);
    await saveInstances(store.client, store.database, [{ ...instance, state: 'pending', firing_since: null }], 1);
    const loaded = await loadInstances(store.client, store.database);
    expect(loaded.get('f00d')).toEqual(instance);
  });

  it('forgets an instance that has been inactive for over a day, and keeps a recently resolved one', async () => {
    const now = Date.now();
    const old = { ...instance, fingerprint: 'dead', state: 'inactive' as const, resolved_at: now - 3 * 86_400_000, last_evaluated: now - 2 * 86_400_000 };
    const recent = { ...instance, fingerprint: 'fresh', state: 'inactive' as const, resolved_at: now - 3_600_000, last_evaluated: now - 3_600_000 };
    await saveInstances(store.client, store.database, [old, recent], now);
    const loaded = await loadInstances(store.client, store.database);
    expect(loaded.has('dead')).toBe(false);
    expect(loaded.get('fresh')).toMatchObject({ state: 'inactive', resolved_at: recent.resolved_at });
  });

  it('survive a restart in the middle of firing without a new notification', async () => {
    const rule: AlertRule = {
      name: 'restart-rule', file: 'x.yaml', metric: 'calls', filters: {}, group_by: ['feature'], window_ms: MIN,
      condition: { op: '>', threshold: 1 }, for_ms: 0, keep_firing_for_ms: 0, min_votes: 0, severity: 'critical',
      labels: {}, annotations: { summary: '', description: '' }, channels: ['ops'],
    };
    const evaluation: Evaluation = { kind: 'ok', samples: [{ labels: { feature: 'chat' }, value: 5, breaching: true }] };
    const step = (previous: Map<string, AlertInstance>, now: number) =>
      advance({ rule, evaluation, previous, now, repeatIntervalMs: 3_600_000, silences: [], renderAnnotations: () => ({ summary: 's', description: 'd' }) });
    const first = step(new Map(), T0);
    expect(first.notifications).toHaveLength(1);
    await saveInstances(store.client, store.database, first.instances, T0);
    // A new process loads what the old one saved.
    const reloaded = await loadInstances(store.client, store.database);
    expect(reloaded.get(first.instances[0]!.fingerprint)).toEqual(first.instances[0]);
    const second = step(reloaded, T0 + MIN);
    expect(second.notifications).toEqual([]);
    expect(second.instances[0]).toMatchObject({ state: 'firing', firing_since: T0 });
  });
});

describe('silences', () => {
  it('are created, listed active and expired, and deleted', async () => {
    const bad = await createSilence(store.client, store.database, { matchers: [], ends_at: T0 + MIN, created_by: 'ana', comment: 'x' }, T0);
    expect(bad).toEqual({ ok: false, error: 'a silence needs at least one matcher' });

    const a = await createSilence(store.client, store.database,
      { matchers: [{ name: 'feature', value: 'sea.*', regex: true }], starts_at: T0 - 10 * MIN, ends_at: T0 + MIN, created_by: 'ana', comment: 're-index' }, T0 - 10 * MIN);
    const b = await createSilence(store.client, store.database,
      { matchers: [{ name: 'alertname', value: 'search-cost' }], ends_at: T0 + 60 * MIN, created_by: 'bo', comment: 'deploy' }, T0);
    if (!a.ok || !b.ok) throw new Error('expected valid silences');
    expect(await listSilences(store.client, store.database)).toEqual([b.silence, a.silence]);
    expect(b.silence).toMatchObject({ starts_at: T0, ends_at: T0 + 60 * MIN, created_by: 'bo', comment: 'deploy' });

    expect(await deleteSilence(store.client, store.database, a.silence.id, T0)).toBe(true);
    expect(await deleteSilence(store.client, store.database, a.silence.id, T0)).toBe(false);
    expect(await deleteSilence(store.client, store.database, 'no-such-id', T0)).toBe(false);
    expect(await listSilences(store.client, store.database)).toEqual([b.silence]);
  });
});

describe('claimNotification', () => {
  it('lets exactly one of two replicas claim a key', async () => {
    const claim = { key: 'f00d:firing:1', fingerprint: 'f00d', rule: 'search-cost', kind: 'firing' as const };
    const results = await Promise.all([
      claimNotification(store.client, store.database, { ...claim, replica: 'replica-a' }),
      claimNotification(store.client, store.database, { ...claim, replica: 'replica-b' }),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    // A late claimant of the same key loses; another key is claimed afresh.
    expect(await claimNotification(store.client, store.database, { ...claim, replica: 'replica-0' }, { settleMs: 0 })).toBe(false);
    expect(await claimNotification(store.client, store.database, { ...claim, key: 'f00d:firing:2', replica: 'replica-b' })).toBe(true);
  });

  it('records delivery attempts next to the claim', async () => {
    const claim = { key: 'beef:resolved:1', fingerprint: 'beef', rule: 'r', kind: 'resolved' as const, replica: 'a' };
    await claimNotification(store.client, store.database, claim, { settleMs: 0 });
    await recordDelivery(store.client, store.database, claim, [
      { channel: 'ops', attempt: 1, status: 500, ok: false, error: 'HTTP 500', at: T0, duration_ms: 3 },
      { channel: 'ops', attempt: 2, status: 200, ok: true, at: T0 + 500, duration_ms: 2 },
    ], T0);
    const rows = await selectRows<{ event: string; attempt: number; status_code: number; detail: string }>(
      store.client,
      `SELECT event, attempt, status_code, detail FROM ${tableName(store.database, 'alert_notifications')} WHERE notification_key = {key:String} ORDER BY attempt`,
      { key: claim.key },
    );
    expect(rows).toEqual([
      { event: 'claim', attempt: 0, status_code: 0, detail: '' },
      { event: 'failed', attempt: 1, status_code: 500, detail: 'HTTP 500' },
      { event: 'delivered', attempt: 2, status_code: 200, detail: '' },
    ]);
  });
});
