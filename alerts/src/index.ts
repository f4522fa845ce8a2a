/**
 * The alert engine (rules as code, pending/firing/resolved lifecycle, Slack,
 * PagerDuty and webhook notifiers) lives here. Nothing is exported yet: the
 * package is a skeleton until the alerts issue is taken.
 */
export const alertsPackage = { name: '@spanlens/alerts', ready: false } as const;
