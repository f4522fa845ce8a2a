import type { RedactionConfig } from '@spanlens/core';
import { builtInDetectors, type Detector } from './detectors';

/** How many values of each type were replaced, e.g. `{ email: 2 }`. */
export type RedactionTally = Map<string, number>;

export interface Redactor {
  /** The text with every detected value replaced by its typed placeholder; counts go to `tally`. */
  redact(text: string, tally: RedactionTally): string;
  readonly enabled: boolean;
  readonly types: readonly string[];
}

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
  return {
    enabled,
    types: detectors.map((detector) => String(detector.type)),
    redact(text, tally) {
      if (!enabled || text.length < minLength) return text;
      let result = text;
      for (const detector of detectors) {
        if (!detector.trigger(result)) continue;
        result = result.replace(detector.pattern, (match) => {
          if (detector.check && !detector.check(match)) return match;
          tally.set(String(detector.type), (tally.get(String(detector.type)) ?? 0) + 1);
          return detector.placeholder;
        });
      }
      return result;
    },
  };
}
