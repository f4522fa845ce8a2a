import { priceOverrideListSchema, priceOverrideStateSchema, SpanlensError, type PriceOverride } from '@spanlens/core';
import type { PriceOverrideSource } from './price-override-watcher';

/**
 * The price overrides of the process that owns the embedded store, for a
 * collector without a store (`storage.owner_url`): the revision
 * (`GET /internal/v1/prices/state`) every poll, the whole list
 * (`GET /internal/v1/prices`) when it changed. Prices are not secret, so the
 * collector's internal key may read them all.
 */
export function ownerPriceSource(options: { ownerUrl: string; apiKey: string | undefined }): PriceOverrideSource {
  const call = async (path: string): Promise<unknown> => {
    const url = new URL(path, options.ownerUrl);
    let response: Response;
    try {
      response = await fetch(url, { headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}, signal: AbortSignal.timeout(10_000) });
    } catch (error) {
      throw new SpanlensError('PRICES_UNAVAILABLE', `price overrides cannot be read: storage.owner_url (${url.origin}) did not answer (${(error as Error).message})`, { status: 503, cause: error });
    }
    if (!response.ok) {
      await response.arrayBuffer().catch(() => undefined);
      const hint = response.status === 401 || response.status === 403 ? ': set auth.api_key (SPANLENS_API_KEY) to an internal key (spanlens keys create --scope internal)' : '';
      throw new SpanlensError('PRICES_UNAVAILABLE', `price overrides cannot be read: storage.owner_url (${url.origin}) answered ${response.status} to ${path}${hint}`, { status: 503 });
    }
    return response.json();
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
