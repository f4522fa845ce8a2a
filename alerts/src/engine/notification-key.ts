/**
 * Keys that name one notification, the same on every replica that computes
 * the same instance state, so that `claimNotification` lets exactly one of
 * them send it:
 *
 * - the first page of a firing episode: `<fingerprint>:firing:<firing_since>`;
 * - a repeat: `<fingerprint>:repeat:<firing_since>:<n>`, n being how many
 *   whole repeat intervals the episode has lasted. Repeats go out at least
 *   one interval apart, so n grows with each of them;
 * - the resolve of an episode: `<fingerprint>:resolved:<firing_since>`.
 *
 * Replicas agree on these only if they evaluate at the same instants (the
 * evaluator should align `now` to evaluation-interval ticks) from the same
 * previous state.
 */
export function firingKey(fingerprint: string, firingSince: number): string {
  return `${fingerprint}:firing:${firingSince}`;
}

export function repeatKey(fingerprint: string, firingSince: number, now: number, repeatIntervalMs: number): string {
  const n = Math.floor((now - firingSince) / repeatIntervalMs);
  return `${fingerprint}:repeat:${firingSince}:${n}`;
}

export function resolvedKey(fingerprint: string, firingSince: number): string {
  return `${fingerprint}:resolved:${firingSince}`;
}
