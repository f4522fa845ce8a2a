import type { ChannelConfig, Logger } from '@spanlens/core';
import type { Notification } from '../model';
import type { ChannelDelivery, DeliveryAttempt, HttpRequest } from './delivery-attempt';
import { pagerDutyRequest } from './pagerduty';
import { sendOnce, type FetchLike } from './send';
import { slackRequest } from './slack';
import { webhookRequest } from './webhook';

export interface DeliverOptions {
  /** Deadline of one attempt (alerts.delivery_timeout_ms). */
  timeoutMs: number;
  /** Attempts per channel, at least 1 (alerts.delivery_attempts). */
  attempts: number;
  logger: Logger;
  /** alerts.dashboard_url, linked from every notification. */
  dashboardUrl: string;
  /** The delay after the first failed attempt, doubling after each; default 500 ms. */
  baseDelayMs?: number;
  /** The longest wait between attempts, Retry-After included; default 30 s. */
  maxDelayMs?: number;
  /** For logs: the notification's key. */
  key?: string;
  fetch?: FetchLike;
  now?: () => number;
}

/**
 * The requests a channel's notifier makes for a group of notifications of one
 * rule and kind: one message for a webhook or Slack, one event per alert for
 * PagerDuty, whose incidents are per alert (dedup_key).
 */
export function channelRequests(group: readonly Notification[], name: string, channel: ChannelConfig, options: { dashboardUrl: string; now: number }): HttpRequest[] {
  switch (channel.type) {
    case 'webhook':
      return [webhookRequest(group, { name, url: channel.url, ...(channel.secret === undefined ? {} : { secret: channel.secret }) }, options)];
    case 'slack':
      return [slackRequest(group, channel, options)];
    case 'pagerduty':
      return group.map((notification) => pagerDutyRequest(notification, channel, options));
  }
}

/** The request for one notification alone (a group of one). */
export function channelRequest(notification: Notification, name: string, channel: ChannelConfig, options: { dashboardUrl: string; now: number }): HttpRequest {
  return channelRequests([notification], name, channel, options)[0] as HttpRequest;
}

/**
 * Delivers a notification, or a group of notifications of one rule and kind
 * with the same channels, to each channel, all in parallel and each on its
 * own: one failing or hanging channel never holds up another, and this never
 * throws. Network errors, timeouts, 429 and 5xx are retried with exponential
 * backoff (or after Retry-After when longer); other 4xx are not, since
 * sending the same body again would fail the same way.
 */
export async function deliver(notifications: Notification | readonly Notification[], channels: Readonly<Record<string, ChannelConfig>>, options: DeliverOptions): Promise<ChannelDelivery[]> {
  const group = Array.isArray(notifications) ? (notifications as readonly Notification[]) : [notifications as Notification];
  const first = group[0];
  if (!first) return [];
  return Promise.all(first.channels.map((name) => deliverToChannel(group, name, channels[name], options)));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function deliverToChannel(group: readonly Notification[], name: string, channel: ChannelConfig | undefined, options: DeliverOptions): Promise<ChannelDelivery> {
  const now = options.now ?? Date.now;
  const first = group[0] as Notification;
  const log = options.logger.child({ channel: name, rule: first.rule.name, fingerprints: group.map((n) => n.instance.fingerprint), kind: first.kind, key: options.key });
  if (!channel) {
    const attempt: DeliveryAttempt = { channel: name, attempt: 1, status: null, ok: false, error: `no channel "${name}" in alerts.channels`, at: now(), duration_ms: 0 };
    log.error({ attempt: 1, error: attempt.error }, 'alert notification not delivered');
    return { channel: name, ok: false, attempts: [attempt] };
  }
  const count = channelRequests(group, name, channel, { dashboardUrl: options.dashboardUrl, now: now() }).length;
  const results = await Promise.all(Array.from({ length: count }, (_, index) => sendWithRetries(group, name, channel, index, options, log)));
  return { channel: name, ok: results.every((result) => result.ok), attempts: results.flatMap((result) => result.attempts) };
}

async function sendWithRetries(
  group: readonly Notification[],
  name: string,
  channel: ChannelConfig,
  index: number,
  options: DeliverOptions,
  log: DeliverOptions['logger'],
): Promise<{ ok: boolean; attempts: DeliveryAttempt[] }> {
  const now = options.now ?? Date.now;
  const fetchImpl: FetchLike = options.fetch ?? ((url, init) => fetch(url, init));
  const baseDelayMs = options.baseDelayMs ?? 500;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const maxAttempts = Math.max(1, options.attempts);
  const attempts: DeliveryAttempt[] = [];
  for (let n = 1; n <= maxAttempts; n++) {
    const started = now();
    let result;
    try {
      // Built per attempt so that a signed webhook's timestamp is fresh.
      const request = channelRequests(group, name, channel, { dashboardUrl: options.dashboardUrl, now: started })[index] as HttpRequest;
      result = await sendOnce(request, { timeoutMs: options.timeoutMs, fetch: fetchImpl, now });
    } catch (error) {
      result = { status: null, ok: false, retryable: false, error: error instanceof Error ? error.message : String(error) };
    }
    const attempt: DeliveryAttempt = { channel: name, attempt: n, status: result.status, ok: result.ok, at: now(), duration_ms: now() - started };
    if (result.error !== undefined) attempt.error = result.error;
    attempts.push(attempt);
    if (result.ok) {
      log.info({ attempt: n, status: result.status, duration_ms: attempt.duration_ms }, 'alert notification delivered');
      return { ok: true, attempts };
    }
    const last = !result.retryable || n === maxAttempts;
    if (last) {
      log.error({ attempt: n, status: result.status, error: result.error }, 'alert notification not delivered');
      break;
    }
    const backoff = Math.min(baseDelayMs * 2 ** (n - 1), maxDelayMs);
    const delay = Math.min(Math.max(backoff, result.retryAfterMs ?? 0), maxDelayMs);
    log.warn({ attempt: n, status: result.status, error: result.error, retry_in_ms: delay }, 'alert notification attempt failed; retrying');
    await sleep(delay);
  }
  return { ok: false, attempts };
}
