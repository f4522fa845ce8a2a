import { createHmac } from 'node:crypto';
import { alertLabels } from '../engine/alert-labels';
import type { Notification } from '../model';
import type { HttpRequest } from './delivery-attempt';
import { alertUrl, formatValue, rfc3339 } from './present';

/** Alertmanager's `endsAt` for an alert that has not ended: Go's zero time. */
const zeroTime = '0001-01-01T00:00:00Z';

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

/** Alertmanager's webhook payload, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config). */
export interface AlertmanagerWebhookPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/**
 * Notifications as Alertmanager's webhook receiver would send them, so that
 * tools which accept Alertmanager webhooks accept ours. The alerts of one
 * rule that change state in the same evaluation arrive as one group, grouped
 * by `alertname` as Alertmanager's default route does: `groupLabels` is the
 * rule's name, `commonLabels` and `commonAnnotations` what all the group's
 * alerts share, and `groupKey` is spelled as Alertmanager spells it.
 */
export function alertmanagerPayload(notifications: Notification | readonly Notification[], options: { receiver: string; dashboardUrl: string }): AlertmanagerWebhookPayload {
  const group = Array.isArray(notifications) ? (notifications as readonly Notification[]) : [notifications as Notification];
  const first = group[0];
  if (!first) throw new RangeError('alertmanagerPayload needs at least one notification');
  const alerts = group.map((notification) => alertOf(notification, options.dashboardUrl));
  const groupLabels = { alertname: first.rule.name };
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(first.rule.name)}}`,
    truncatedAlerts: 0,
    status: first.kind,
    receiver: options.receiver,
    groupLabels,
    commonLabels: common(alerts.map((alert) => alert.labels)),
    commonAnnotations: common(alerts.map((alert) => alert.annotations)),
    externalURL: options.dashboardUrl,
    alerts,
  };
}

function alertOf(notification: Notification, dashboardUrl: string): AlertmanagerAlert {
  const { instance, rule } = notification;
  const labels = sortedRecord(alertLabels(rule, instance.labels));
  const annotations: Record<string, string> = { summary: instance.summary, description: instance.description };
  if (instance.value !== null) annotations.value = formatValue(instance.value);
  const startsAt = instance.firing_since ?? instance.active_since ?? instance.last_evaluated;
  return {
    status: notification.kind,
    labels,
    annotations,
    startsAt: rfc3339(startsAt),
    endsAt: notification.kind === 'resolved' ? rfc3339(instance.resolved_at ?? instance.last_evaluated) : zeroTime,
    generatorURL: alertUrl(dashboardUrl, instance),
    fingerprint: instance.fingerprint,
  };
}

/** The name/value pairs every record has in common. */
function common(records: ReadonlyArray<Record<string, string>>): Record<string, string> {
  const [first, ...rest] = records;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([name, value]) => rest.every((record) => record[name] === value)));
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `sha256=<hex HMAC-SHA256 of the raw body, keyed by the secret>`. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The POST for a generic webhook channel. With a secret the body is signed
 * (`X-Spanlens-Signature`), and `X-Spanlens-Timestamp` (unix seconds) tells
 * the receiver when it was sent.
 */
export function webhookRequest(
  notification: Notification | readonly Notification[],
  channel: { name: string; url: string; secret?: string },
  options: { dashboardUrl: string; now: number },
): HttpRequest {
  const body = JSON.stringify(alertmanagerPayload(notification, { receiver: channel.name, dashboardUrl: options.dashboardUrl }));
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (channel.secret !== undefined) {
    headers['X-Spanlens-Signature'] = webhookSignature(channel.secret, body);
    headers['X-Spanlens-Timestamp'] = String(Math.floor(options.now / 1000));
  }
  return { url: channel.url, headers, body };
}
