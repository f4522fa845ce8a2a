import type { AlertInstance, Notification } from '../model';

/** Where the dashboard shows an alert instance. */
export function alertUrl(dashboardUrl: string, instance: Pick<AlertInstance, 'fingerprint'>): string {
  const base = dashboardUrl.endsWith('/') ? dashboardUrl : `${dashboardUrl}/`;
  return new URL(`alerts/${encodeURIComponent(instance.fingerprint)}`, base).toString();
}

/** A metric value for people: up to 6 significant digits, without exponent noise for everyday sizes. */
export function formatValue(value: number | null): string {
  if (value === null) return 'n/a';
  return String(Number(value.toPrecision(6)));
}

/** FIRING or RESOLVED, as notifications title themselves. */
export function statusWord(notification: Pick<Notification, 'kind'>): 'FIRING' | 'RESOLVED' {
  return notification.kind === 'firing' ? 'FIRING' : 'RESOLVED';
}

/** Cuts text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** RFC 3339 text of an epoch-ms time. */
export function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
