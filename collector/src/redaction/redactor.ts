import { createHmac } from 'node:crypto';
import type { RedactionConfig } from '@spanlens/core';
import { builtInDetectors, type Detector } from './detectors';

/** How many values of each type were replaced, e.g. `{ email: 2 }`. */
export type RedactionTally = Map<string, number>;

export interface Redactor {
  /** The text with every detected value replaced by its typed placeholder; counts go to `tally`. */
  redact(text: string, tally: RedactionTally): string;
  /**
   * For ids (user, session, feature, prompt, code location): each detected
   * value becomes its placeholder with a keyed hash of the value,
   * `[EMAIL:plgjpngbdjbf]`, so that one person's calls still group together
   * and `spanlens erase --user ana@example.com` finds them, while the address
   * itself is not stored.
   */
  pseudonymize(text: string, tally: RedactionTally): string;
  readonly enabled: boolean;
  readonly types: readonly string[];
}

/**
 * Used when `redaction.pseudonym_key` is unset: pseudonyms are then plain
 * hashes, stable across processes but open to a guess-and-compare.
 */
const DEFAULT_PSEUDONYM_KEY = 'spanlens-default-pseudonym-key';

/** Shorter text cannot hold any of the built-in kinds (the shortest, an IPv4 address, has 7 characters). */
const MIN_LENGTH = 7;

/**
 * The redactor the collector runs over every stored string before anything
 * leaves it for Kafka or ClickHouse: the built-in detectors minus the
 * disabled ones, then the configured patterns.
 */
export function createRedactor(config: RedactionConfig): Redactor {
  const disabled = new Set<string>(config.disabled);
  const detectors: Detector[] = [
    ...builtInDetectors.filter((detector) => !disabled.has(detector.type)),
    ...config.patterns.map((pattern) => ({
      type: pattern.name,
      placeholder: pattern.placeholder ?? `[${pattern.name.toUpperCase()}]`,
      pattern: new RegExp(pattern.pattern, 'g'),
      trigger: () => true,
    })),
  ];
  const enabled = config.enabled && detectors.length > 0;
  const minLength = config.patterns.length > 0 ? 1 : MIN_LENGTH;
  const pseudonymKey = config.pseudonym_key ?? DEFAULT_PSEUDONYM_KEY;
  const replaceAll = (text: string, tally: RedactionTally, replacement: (detector: Detector, match: string) => string): string => {
    if (!enabled || text.length < minLength) return text;
    let result = text;
    for (const detector of detectors) {
      if (!detector.trigger(result)) continue;
      result = result.replace(detector.pattern, (match) => {
        if (detector.check && !detector.check(match)) return match;
        tally.set(String(detector.type), (tally.get(String(detector.type)) ?? 0) + 1);
        return replacement(detector, match);
      });
    }
    return result;
  };
  const redact = (text: string, tally: RedactionTally) => replaceAll(text, tally, (detector) => detector.placeholder);
  const pseudonymize = (text: string, tally: RedactionTally) =>
    replaceAll(text, tally, (detector, match) => {
      // Addresses are case-insensitive in practice: Ana@Example.com and ana@example.com are one person.
      const value = detector.type === 'email' ? match.toLowerCase() : match;
      return `${detector.placeholder.replace(/\]$/, '')}:${pseudonymHash(pseudonymKey, String(detector.type), value)}]`;
    });
  return {
    enabled,
    types: detectors.map((detector) => String(detector.type)),
    redact: enabled ? memoized(redact, minLength) : redact,
    pseudonymize: enabled ? memoized(pseudonymize, minLength) : pseudonymize,
  };
}

/** Values longer than this are looked at every time: prompts and completions, which rarely repeat. */
const MEMO_MAX_LENGTH = 256;
/** Distinct short values remembered; past this the memo starts again empty. */
const MEMO_ENTRIES = 8192;

/**
 * Most short values a collector redacts repeat from span to span (span and
 * model names, providers, finish reasons, services, features, prompt ids,
 * user ids, attribute values), and each one costs up to nine pattern
 * searches. Redaction is a function of the text alone for a given config, so
 * each distinct short value is worked out once and its answer, and what it
 * adds to the tally, reused. Measured with `pnpm bench:redaction`.
 */
function memoized(apply: (text: string, tally: RedactionTally) => string, minLength: number): (text: string, tally: RedactionTally) => string {
  const memo = new Map<string, { text: string; counts: ReadonlyArray<readonly [string, number]> | undefined }>();
  return (text, tally) => {
    if (text.length < minLength) return text;
    if (text.length > MEMO_MAX_LENGTH) return apply(text, tally);
    let known = memo.get(text);
    if (known === undefined) {
      const own: RedactionTally = new Map();
      known = { text: apply(text, own), counts: own.size > 0 ? [...own] : undefined };
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(text, known);
    }
    if (known.counts !== undefined) for (const [type, count] of known.counts) tally.set(type, (tally.get(type) ?? 0) + count);
    return known.text;
  };
}

/**
 * 12 letters a–p (48 bits of an HMAC-SHA256): letters only, so that no later
 * detector of the same pass takes a run of the hash's digits for a phone
 * number and a pseudonym stays the same wherever it is computed.
 */
function pseudonymHash(key: string, type: string, value: string): string {
  const hex = createHmac('sha256', key).update(`${type}\0${value}`).digest('hex').slice(0, 12);
  let letters = '';
  for (const digit of hex) letters += String.fromCharCode(97 + Number.parseInt(digit, 16));
  return letters;
}
