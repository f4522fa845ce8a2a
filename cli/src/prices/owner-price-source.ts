import { priceOverrideListSchema, priceOverrideStateSchema, SpanlensError, type PriceOverride } from '@spanlens/core';
import type { PriceOverrideSource } from './price-override-watcher';
import { callOwner, internalKeyHint } from '../owner-call';

/**
 * The price overrides of the process that owns the embedded store, for a
 * collector without a store (`storage.owner_url`): the revision
 * (`GET /internal/v1/prices/state`) every poll, the whole list
 * (`GET /internal/v1/prices`) when it changed. Prices are not secret, so the
 * collector's internal key may read them all.
 */
export function ownerPriceSource(options: { ownerUrl: string; apiKey: string | undefined }): PriceOverrideSource {
  const call = async (path: string): Promise<unknown> => {
    const answer = await callOwner({ ownerUrl: options.ownerUrl, apiKey: options.apiKey, path });
    if (answer.ok) return answer.body;
    const origin = new URL(options.ownerUrl).origin;
    throw new SpanlensError('PRICES_UNAVAILABLE', `price overrides cannot be read: storage.owner_url (${origin}) ${answer.problem}${answer.refused ? `: ${internalKeyHint}` : ''}`, { status: 503, ...(answer.cause === undefined ? {} : { cause: answer.cause }) });
  };
  const unexpected = (path: string) => new SpanlensError('PRICES_UNAVAILABLE', `price overrides cannot be read: storage.owner_url answered an unexpected body to ${path}`, { status: 503 });
  return {
    async revision() {
      const state = priceOverrideStateSchema.safeParse(await call('/internal/v1/prices/state'));
      if (!state.success) throw unexpected('/internal/v1/prices/state');
      return state.data.revision;
    },
    async read() {
      const list = priceOverrideListSchema.safeParse(await call('/internal/v1/prices'));
      if (!list.success) throw unexpected('/internal/v1/prices');
      return list.data.overrides as PriceOverride[];
    },
  };
}
