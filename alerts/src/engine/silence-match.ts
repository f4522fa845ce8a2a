import type { Silence } from '../model';

export type SilenceStatus = 'pending' | 'active' | 'expired';

/** Whether a silence is in force at `now`: from `starts_at` (inclusive) to `ends_at` (exclusive). */
export function silenceStatus(silence: Pick<Silence, 'starts_at' | 'ends_at'>, now: number): SilenceStatus {
  if (now < silence.starts_at) return 'pending';
  return now < silence.ends_at ? 'active' : 'expired';
}

/**
 * A matcher's regular expression, anchored at both ends as Alertmanager
 * anchors them (`team=~"ml|search"` matches "ml" but not "mlops"). Returns
 * null when the pattern does not compile, which never matches.
 */
export function matcherRegex(pattern: string): RegExp | null {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return null;
  }
}

/** Whether one matcher accepts a label value; a missing label is the empty string, as in Alertmanager. */
export function matcherMatches(matcher: Silence['matchers'][number], value: string | undefined): boolean {
  const actual = value ?? '';
  if (!matcher.regex) return actual === matcher.value;
  return matcherRegex(matcher.value)?.test(actual) ?? false;
}

/**
 * Whether a silence mutes an instance with these labels at `now`: it must be
 * active and every matcher must match. `labels` should include `alertname`
 * (the rule's name) and `severity`; see `silenceLabels`.
 */
export function matchesSilence(silence: Silence, labels: Record<string, string>, now: number): boolean {
  if (silenceStatus(silence, now) !== 'active') return false;
  if (silence.matchers.length === 0) return false;
  return silence.matchers.every((matcher) => matcherMatches(matcher, labels[matcher.name]));
}

/** The labels silences are matched against: the instance's labels plus `alertname` and `severity`. */
export function silenceLabels(instance: { rule: string; severity: string; labels: Record<string, string> }): Record<string, string> {
  return { ...instance.labels, alertname: instance.rule, severity: instance.severity };
}

/** The ids of the silences muting these labels now, in the order given. */
export function silencedBy(silences: readonly Silence[], labels: Record<string, string>, now: number): string[] {
  return silences.filter((silence) => matchesSilence(silence, labels, now)).map((silence) => silence.id);
}
