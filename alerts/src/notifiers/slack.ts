import { alertLabels } from '../engine/alert-labels';
import type { Notification } from '../model';
import type { HttpRequest } from './delivery-attempt';
import { alertUrl, formatValue, rfc3339, statusWord, truncate } from './present';

/**
 * Slack's mrkdwn control characters. Slack asks for exactly these three to be
 * escaped (https://api.slack.com/reference/surfaces/formatting#escaping).
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A Slack incoming-webhook message: `text` is the fallback shown in
 * notifications, `blocks` the message itself (a header, the summary, the
 * rule's facts as fields, the labels, and a button to the dashboard). Block
 * Kit limits: header text 150 characters, section text 3000, field text 2000.
 */
export function slackMessage(notifications: Notification | readonly Notification[], options: { dashboardUrl: string }): { text: string; blocks: unknown[] } {
  const group = Array.isArray(notifications) ? (notifications as readonly Notification[]) : [notifications as Notification];
  if (group.length > 1) return groupMessage(group, options);
  const notification = group[0];
  if (!notification) throw new RangeError('slackMessage needs at least one notification');
  const { instance, rule } = notification;
  const status = statusWord(notification);
  const labels = alertLabels(rule, instance.labels);
  const labelText = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
  const summary = instance.summary.trim() === '' ? rule.name : instance.summary;
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`[${status}] ${rule.name}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(summary), 3000) } },
    {
      type: 'section',
      fields: [
        { type: 'mrkdwn', text: `*Rule*\n${truncate(escapeMrkdwn(rule.name), 1900)}` },
        { type: 'mrkdwn', text: `*Severity*\n${rule.severity}` },
        { type: 'mrkdwn', text: `*State*\n${status.toLowerCase()}` },
        { type: 'mrkdwn', text: `*Value*\n${formatValue(instance.value)}` },
        { type: 'mrkdwn', text: `*Since*\n${rfc3339(instance.firing_since ?? instance.last_evaluated)}` },
      ],
    },
  ];
  if (instance.description.trim() !== '') {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(instance.description), 3000) } });
  }
  blocks.push(
    { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(escapeMrkdwn(labelText), 3000) }] },
    {
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Spanlens' }, url: alertUrl(options.dashboardUrl, instance) }],
    },
  );
  return { text: `[${status}] ${rule.name}: ${summary}`, blocks };
}

/** Several alerts of one rule that changed state together: one message listing them (at most 10, then a count). */
function groupMessage(group: readonly Notification[], options: { dashboardUrl: string }): { text: string; blocks: unknown[] } {
  const first = group[0] as Notification;
  const status = statusWord(first);
  const title = `[${status}:${group.length}] ${first.rule.name}`;
  const lines = group.slice(0, 10).map(({ instance, rule }) => {
    const labels = Object.entries(instance.labels).map(([name, value]) => `${name}=${value}`).join(', ');
    const summary = instance.summary.trim() === '' ? rule.name : instance.summary;
    return `• ${escapeMrkdwn(summary)} (${escapeMrkdwn(labels || 'all')}; value ${formatValue(instance.value)})`;
  });
  if (group.length > 10) lines.push(`…and ${group.length - 10} more`);
  const base = options.dashboardUrl.endsWith('/') ? options.dashboardUrl : `${options.dashboardUrl}/`;
  return {
    text: `${title}: ${group.length} alerts`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(lines.join('\n'), 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `*Severity* ${first.rule.severity} · *Rule* ${truncate(escapeMrkdwn(first.rule.name), 1900)}` }] },
      { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Spanlens' }, url: new URL('alerts', base).toString() }] },
    ],
  };
}

export function slackRequest(notification: Notification | readonly Notification[], channel: { url: string }, options: { dashboardUrl: string }): HttpRequest {
  return { url: channel.url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(slackMessage(notification, options)) };
}
