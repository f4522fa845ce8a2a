import type { AlertRule } from '../model';

/**
 * The full label set of an alert, as silences match it and notifiers show
 * it: the group's labels, then the rule's static labels (which win, as in
 * Prometheus), then `alertname` and `severity`, which nothing may override.
 */
export function alertLabels(rule: Pick<AlertRule, 'name' | 'severity' | 'labels'>, groupLabels: Record<string, string>): Record<string, string> {
  return { ...groupLabels, ...rule.labels, alertname: rule.name, severity: rule.severity };
}
