import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, type ChannelConfig } from '@spanlens/core';
import type { AlertInstance, AlertRule, Notification } from '../model';
import { deliver } from './deliver';
import { reply, startReceiver, type TestReceiver } from './test-receiver';

// Expected bodies below are written out from each service's documentation,
// not produced by our serialisers:
// - Alertmanager webhook_config payload (version 4);
// - Slack incoming webhooks with Block Kit blocks (header, section, context, actions);
// - PagerDuty Events API v2 trigger and resolve events.

const T0 = Date.parse('2026-03-01T12:00:00Z');
const dashboardUrl = 'http://127.0.0.1:4318/';
const logger = createLogger({ level: 'silent' });

const rule: AlertRule = {
  name: 'search-cost',
  file: 'rules/cost.yaml',
  metric: 'cost_per_hour',
  filters: {},
  group_by: ['feature'],
  window_ms: 300_000,
  condition: { op: '>', threshold: 10 },
  for_ms: 300_000,
  keep_firing_for_ms: 0,
  min_votes: 0,
  severity: 'critical',
  labels: { team: 'ml' },
  annotations: { summary: '', description: '' },
  channels: ['hook'],
};

const firing: AlertInstance = {
  fingerprint: '3f2a9c1d5e7b8a60',
  rule: 'search-cost',
  labels: { feature: 'search' },
  severity: 'critical',
  state: 'firing',
  value: 12.3456789,
  baseline: 4,
  active_since: T0 - 300_000,
  firing_since: T0,
  cleared_since: null,
  resolved_at: null,
  last_evaluated: T0,
  last_notified: T0,
  summary: 'Search costs $12.35/h',
  description: 'Above the $10/h budget & <rising>',
};
const resolved: AlertInstance = { ...firing, state: 'inactive', value: 2, resolved_at: T0 + 600_000, last_evaluated: T0 + 600_000, summary: 'Search costs $2.00/h' };

const notify = (kind: Notification['kind'], channels: string[]): Notification => ({ kind, instance: kind === 'firing' ? firing : resolved, rule, channels });

let receivers: TestReceiver[] = [];
async function receiver(status = 200): Promise<TestReceiver> {
  const r = await startReceiver((res) => reply(res, status, 'ok'));
  receivers.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

const run = (notification: Notification, channels: Record<string, ChannelConfig>) =>
  deliver(notification, channels, { timeoutMs: 2000, attempts: 1, logger, dashboardUrl });

describe('generic webhook', () => {
  it('posts the Alertmanager version 4 payload, signed with HMAC-SHA256 of the raw body', async () => {
    const r = await receiver();
    const before = Math.floor(Date.now() / 1000);
    const [outcome] = await run(notify('firing', ['hook']), { hook: { type: 'webhook', url: r.url, secret: 's3cret' } });
    expect(outcome).toMatchObject({ channel: 'hook', ok: true, attempts: [{ attempt: 1, status: 200, ok: true }] });
    const [request] = r.requests;
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-type']).toBe('application/json');

    // The signature, recomputed here from the bytes the receiver got.
    const expected = Buffer.from(`sha256=${createHmac('sha256', 's3cret').update(Buffer.from(request!.body, 'utf8')).digest('hex')}`);
    const got = Buffer.from(String(request?.headers['x-spanlens-signature']));
    expect(got.length === expected.length && timingSafeEqual(got, expected)).toBe(true);
    const timestamp = Number(request?.headers['x-spanlens-timestamp']);
    expect(timestamp).toBeGreaterThanOrEqual(before);
    expect(timestamp).toBeLessThanOrEqual(before + 5);

    const labels = { alertname: 'search-cost', feature: 'search', severity: 'critical', team: 'ml' };
    const annotations = { summary: 'Search costs $12.35/h', description: 'Above the $10/h budget & <rising>', value: '12.3457' };
    expect(JSON.parse(request!.body)).toStrictEqual({
      version: '4',
      // Grouped by alertname, as Alertmanager's default route groups.
      groupKey: '{}:{alertname="search-cost"}',
      truncatedAlerts: 0,
      status: 'firing',
      receiver: 'hook',
      groupLabels: { alertname: 'search-cost' },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: 'http://127.0.0.1:4318/',
      alerts: [
        {
          status: 'firing',
          labels,
          annotations,
          startsAt: '2026-03-01T12:00:00.000Z',
          endsAt: '0001-01-01T00:00:00Z',
          generatorURL: 'http://127.0.0.1:4318/alerts/3f2a9c1d5e7b8a60',
          fingerprint: '3f2a9c1d5e7b8a60',
        },
      ],
    });
  });

  it('sends a resolved alert with its end time and no signature headers without a secret', async () => {
    const r = await receiver();
    await run(notify('resolved', ['hook']), { hook: { type: 'webhook', url: r.url } });
    const [request] = r.requests;
    expect(request?.headers['x-spanlens-signature']).toBeUndefined();
    const body = JSON.parse(request!.body) as { status: string; alerts: Array<Record<string, unknown>> };
    expect(body.status).toBe('resolved');
    expect(body.alerts[0]).toMatchObject({ status: 'resolved', startsAt: '2026-03-01T12:00:00.000Z', endsAt: '2026-03-01T12:10:00.000Z' });
  });
});

describe('Slack', () => {
  it('posts text and Block Kit blocks with the rule, severity, state, value, labels and a dashboard button', async () => {
    const r = await receiver();
    await run(notify('firing', ['slack']), { slack: { type: 'slack', url: r.url } });
    expect(r.requests[0]?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(r.requests[0]!.body)).toStrictEqual({
      text: '[FIRING] search-cost: Search costs $12.35/h',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: '[FIRING] search-cost' } },
        { type: 'section', text: { type: 'mrkdwn', text: 'Search costs $12.35/h' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Rule*\nsearch-cost' },
            { type: 'mrkdwn', text: '*Severity*\ncritical' },
            { type: 'mrkdwn', text: '*State*\nfiring' },
            { type: 'mrkdwn', text: '*Value*\n12.3457' },
            { type: 'mrkdwn', text: '*Since*\n2026-03-01T12:00:00.000Z' },
          ],
        },
        // Slack's three escapes: & < >.
        { type: 'section', text: { type: 'mrkdwn', text: 'Above the $10/h budget &amp; &lt;rising&gt;' } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'alertname=search-cost, feature=search, severity=critical, team=ml' }] },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Spanlens' }, url: 'http://127.0.0.1:4318/alerts/3f2a9c1d5e7b8a60' }],
        },
      ],
    });
  });
});

describe('PagerDuty Events API v2', () => {
  it('triggers with the fingerprint as dedup_key and a mapped severity', async () => {
    const r = await receiver(202);
    const [outcome] = await run(notify('firing', ['pd']), { pd: { type: 'pagerduty', routing_key: 'R0UT1NGKEY', url: r.url } });
    expect(outcome?.ok).toBe(true);
    expect(JSON.parse(r.requests[0]!.body)).toStrictEqual({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: '3f2a9c1d5e7b8a60',
      payload: {
        summary: '[critical] search-cost: Search costs $12.35/h',
        source: 'spanlens',
        severity: 'critical',
        timestamp: '2026-03-01T12:00:00.000Z',
        component: 'search',
        group: 'search-cost',
        class: 'cost_per_hour',
        custom_details: {
          value: '12.3457',
          baseline: '4',
          description: 'Above the $10/h budget & <rising>',
          labels: { feature: 'search', team: 'ml', alertname: 'search-cost', severity: 'critical' },
          rule_file: 'rules/cost.yaml',
        },
      },
      client: 'Spanlens',
      client_url: 'http://127.0.0.1:4318/',
      links: [{ href: 'http://127.0.0.1:4318/alerts/3f2a9c1d5e7b8a60', text: 'Open in Spanlens' }],
    });
  });

  it('resolves with only routing_key, event_action and dedup_key', async () => {
    const r = await receiver(202);
    await run(notify('resolved', ['pd']), { pd: { type: 'pagerduty', routing_key: 'R0UT1NGKEY', url: r.url } });
    expect(JSON.parse(r.requests[0]!.body)).toStrictEqual({ routing_key: 'R0UT1NGKEY', event_action: 'resolve', dedup_key: '3f2a9c1d5e7b8a60' });
  });

  it('keeps the summary within 1024 characters', async () => {
    const r = await receiver(202);
    const long: Notification = { ...notify('firing', ['pd']), instance: { ...firing, summary: 'x'.repeat(5000) } };
    await run(long, { pd: { type: 'pagerduty', routing_key: 'K', url: r.url } });
    const summary = (JSON.parse(r.requests[0]!.body) as { payload: { summary: string } }).payload.summary;
    expect(summary).toHaveLength(1024);
    expect(summary.startsWith('[critical] search-cost: xxx')).toBe(true);
  });
});

describe('a group of alerts of one rule', () => {
  it('is one webhook message with every alert, one Slack message listing them, and one PagerDuty event per alert', async () => {
    const chat: AlertInstance = { ...firing, fingerprint: '0a1b2c3d4e5f6a7b', labels: { feature: 'chat' }, value: 20, summary: 'Chat costs $20.00/h' };
    const group: Notification[] = [
      { kind: 'firing', instance: firing, rule, channels: ['hook', 'slack', 'pd'] },
      { kind: 'firing', instance: chat, rule, channels: ['hook', 'slack', 'pd'] },
    ];
    const [hook, slack, pd] = await Promise.all([receiver(), receiver(), receiver()]);
    const outcomes = await deliver(group, { hook: { type: 'webhook', url: hook!.url }, slack: { type: 'slack', url: slack!.url }, pd: { type: 'pagerduty', routing_key: 'R1', url: pd!.url } }, {
      timeoutMs: 2000,
      attempts: 1,
      logger,
      dashboardUrl,
    });
    expect(outcomes.map((o) => [o.channel, o.ok, o.attempts.length])).toEqual([['hook', true, 1], ['slack', true, 1], ['pd', true, 2]]);

    expect(hook!.requests).toHaveLength(1);
    const body = JSON.parse(hook!.requests[0]!.body);
    expect(body.groupKey).toBe('{}:{alertname="search-cost"}');
    expect(body.groupLabels).toStrictEqual({ alertname: 'search-cost' });
    // What both alerts share; the feature differs, so it is not common.
    expect(body.commonLabels).toStrictEqual({ alertname: 'search-cost', severity: 'critical', team: 'ml' });
    expect(body.alerts.map((a: { labels: { feature: string }; fingerprint: string }) => [a.labels.feature, a.fingerprint])).toEqual([
      ['search', '3f2a9c1d5e7b8a60'],
      ['chat', '0a1b2c3d4e5f6a7b'],
    ]);

    expect(slack!.requests).toHaveLength(1);
    const message = JSON.parse(slack!.requests[0]!.body);
    expect(message.text).toBe('[FIRING:2] search-cost: 2 alerts');
    expect(message.blocks[0]).toStrictEqual({ type: 'header', text: { type: 'plain_text', text: '[FIRING:2] search-cost' } });

    expect(pd!.requests.map((r) => JSON.parse(r.body).dedup_key).sort()).toEqual(['0a1b2c3d4e5f6a7b', '3f2a9c1d5e7b8a60']);
  });
});
