import type { Silence } from '../model';
import { matcherMatches, matcherRegex } from './silence-match';

export interface SilenceInput {
  /** Given by a client that wants to replace a silence; a new UUID otherwise. */
  id?: string;
  matchers: Silence['matchers'];
  /** Epoch ms; now when absent. */
  starts_at?: number;
  ends_at: number;
  created_by: string;
  comment: string;
}

export type SilenceCheck = { ok: true; silence: Omit<Silence, 'id'> } | { ok: false; error: string };

const labelName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Alertmanager's rules for a silence: at least one matcher, valid label names
 * and regular expressions, and at least one matcher that does not match the
 * empty string (so that no silence mutes every alert); an end after its start
 * and not already past; an author and a comment saying why.
 */
export function validateSilence(input: SilenceInput, now: number): SilenceCheck {
  if (input.matchers.length === 0) return { ok: false, error: 'a silence needs at least one matcher' };
  for (const matcher of input.matchers) {
    if (!labelName.test(matcher.name)) return { ok: false, error: `invalid label name "${matcher.name}" in a matcher` };
    if (matcher.regex && matcherRegex(matcher.value) === null) return { ok: false, error: `invalid regular expression "${matcher.value}" for ${matcher.name}` };
  }
  if (input.matchers.every((matcher) => matcherMatches(matcher, ''))) {
    return { ok: false, error: 'at least one matcher must not match the empty string, or the silence would mute every alert' };
  }
  const startsAt = input.starts_at ?? now;
  if (!Number.isFinite(startsAt) || !Number.isFinite(input.ends_at)) return { ok: false, error: 'starts_at and ends_at must be epoch milliseconds' };
  if (input.ends_at <= startsAt) return { ok: false, error: 'ends_at must be after starts_at' };
  if (input.ends_at <= now) return { ok: false, error: 'ends_at is already in the past' };
  if (input.created_by.trim() === '') return { ok: false, error: 'created_by must name who created the silence' };
  if (input.comment.trim() === '') return { ok: false, error: 'a silence needs a comment saying why' };
  return {
    ok: true,
    silence: {
      matchers: input.matchers.map((m) => (m.regex ? { name: m.name, value: m.value, regex: true } : { name: m.name, value: m.value })),
      starts_at: startsAt,
      ends_at: input.ends_at,
      created_by: input.created_by,
      comment: input.comment,
    },
  };
}
