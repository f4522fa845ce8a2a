import { createHash } from 'node:crypto';

/**
 * A stable identity for one alert instance: the rule's name and the group's
 * labels, sorted so that the order a query returned them in does not matter.
 * 16 hex characters (64 bits), like Alertmanager's fingerprints; a rule has
 * at most thousands of groups, so a collision is not a practical concern.
 *
 * The rule's own static labels are deliberately left out: editing a rule's
 * labels should not orphan its instances (and their firing state).
 */
export function fingerprint(rule: string | { name: string }, labels: Record<string, string>): string {
  const name = typeof rule === 'string' ? rule : rule.name;
  const sorted = Object.keys(labels)
    .sort()
    .map((key) => [key, labels[key]]);
  return createHash('sha256').update(JSON.stringify([name, sorted])).digest('hex').slice(0, 16);
}
