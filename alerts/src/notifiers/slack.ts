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
export function slackMessage(notification: Notification, options: { dashboardUrl: string }): { text: string; blocks: unknown[] } {
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

export function slackRequest(notification: Notification, channel: { url: string }, options: { dashboardUrl: string }): HttpRequest {
  return { url: channel.url, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(slackMessage(notification, options)) };
}
