import { alertLabels } from '../engine/alert-labels';
import type { Notification, Severity } from '../model';
import type { HttpRequest } from './delivery-attempt';
import { alertUrl, formatValue, rfc3339, truncate } from './present';

export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

/** PagerDuty's severities are critical, error, warning and info; ours map onto the same names. */
const pagerDutySeverity: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  warning: 'warning',
  info: 'info',
};

export type PagerDutyEvent =
  | {
      routing_key: string;
      event_action: 'trigger';
      dedup_key: string;
      payload: {
        summary: string;
        source: string;
        severity: 'critical' | 'error' | 'warning' | 'info';
        timestamp: string;
        component?: string;
        group?: string;
        class?: string;
        custom_details: Record<string, unknown>;
      };
      client: string;
      client_url: string;
      links: Array<{ href: string; text: string }>;
    }
  | { routing_key: string; event_action: 'resolve'; dedup_key: string };

/**
 * A PagerDuty Events API v2 event
 * (https://developer.pagerduty.com/docs/events-api-v2/trigger-events/). The
 * dedup key is the instance's fingerprint, so repeats of a firing alert update
 * one PagerDuty incident and the resolve closes it. A resolve carries only the
 * routing key, action and dedup key, as the API documents.
 */
export function pagerDutyEvent(notification: Notification, options: { routingKey: string; dashboardUrl: string }): PagerDutyEvent {
  const { instance, rule } = notification;
  if (notification.kind === 'resolved') {
    return { routing_key: options.routingKey, event_action: 'resolve', dedup_key: instance.fingerprint };
  }
  const summary = instance.summary.trim() === '' ? rule.name : instance.summary;
  const payload: Extract<PagerDutyEvent, { event_action: 'trigger' }>['payload'] = {
    summary: truncate(`[${rule.severity}] ${rule.name}: ${summary}`, 1024),
    source: 'spanlens',
    severity: pagerDutySeverity[rule.severity],
    timestamp: rfc3339(instance.firing_since ?? instance.last_evaluated),
    class: rule.metric,
    group: rule.name,
    custom_details: {
      value: formatValue(instance.value),
      baseline: instance.baseline === null ? undefined : formatValue(instance.baseline),
      description: instance.description,
      labels: alertLabels(rule, instance.labels),
      rule_file: rule.file,
    },
  };
  const feature = instance.labels.feature;
  if (feature !== undefined) payload.component = feature;
  return {
    routing_key: options.routingKey,
    event_action: 'trigger',
    dedup_key: instance.fingerprint,
    payload,
    client: 'Spanlens',
    client_url: options.dashboardUrl,
    links: [{ href: alertUrl(options.dashboardUrl, instance), text: 'Open in Spanlens' }],
  };
}

export function pagerDutyRequest(notification: Notification, channel: { routing_key: string; url?: string }, options: { dashboardUrl: string }): HttpRequest {
  const event = pagerDutyEvent(notification, { routingKey: channel.routing_key, dashboardUrl: options.dashboardUrl });
  return { url: channel.url ?? pagerDutyEventsUrl, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(event) };
}
