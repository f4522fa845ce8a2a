import type { MappingConfig } from '@spanlens/core';
import { FEATURE_FALLBACK_KEYS, FEATURE_KEY, MAPPED_KEYS } from './attribute-keys';

/** What the mapper derives from its options, once per options object instead of once per span. */
export interface MappingPlan {
  /** `spanlens.feature`, the configured feature keys, then the fallbacks, in lookup order. */
  featureKeys: readonly string[];
  /** Span attributes left out of the stored map: MAPPED_KEYS and the configured feature keys. */
  mappedKeys: ReadonlySet<string>;
}

// Keyed by the options object, so plans go when their options do.
const plans = new WeakMap<MappingConfig, MappingPlan>();

export function planFor(options: MappingConfig): MappingPlan {
  let plan = plans.get(options);
  if (!plan) {
    plan = {
      featureKeys: [FEATURE_KEY, ...options.feature_keys, ...FEATURE_FALLBACK_KEYS],
      mappedKeys: new Set([...MAPPED_KEYS, ...options.feature_keys]),
    };
    plans.set(options, plan);
  }
  return plan;
}
