/**
 * `GET /api/v1/prices`: the price overrides a server prices spans with, as
 * the route answers them and as the language server reads them to price its
 * before-it-ships estimates the same way.
 */
import { z } from 'zod';
import { customPriceSchema, type CustomPrice } from '../config/schema';
import type { PriceOverride } from '../pricing/price-overrides';

const listedPriceFields = {
  model: z.string(),
  /** Null for a price that applies to any provider. */
  provider: z.string().nullable(),
  input_per_mtok: z.number(),
  output_per_mtok: z.number(),
  cache_read_per_mtok: z.number().nullable(),
  cache_write_per_mtok: z.number().nullable(),
  reasoning_per_mtok: z.number().nullable(),
  per_call_usd: z.number(),
  price_version: z.string(),
  /** False when a price of higher precedence covers the same model and provider. */
  in_force: z.boolean(),
};

/** One override of the list: set through the API (`override:<version>`) or in `pricing.models` of the config file. */
export const listedPriceSchema = z.discriminatedUnion('source', [
  z.object({ source: z.literal('api'), ...listedPriceFields, updated_at: z.string() }),
  z.object({ source: z.literal('config'), ...listedPriceFields, updated_at: z.null() }),
]);
export type ListedPrice = z.infer<typeof listedPriceSchema>;

export const priceListSchema = z.object({ catalog_version: z.string(), overrides: z.array(listedPriceSchema) });
export type PriceList = z.infer<typeof priceListSchema>;

/** What a pricer needs to price like the server: `createPricer({ customPrices, overrides })`. */
export interface PricesInForce {
  overrides: readonly PriceOverride[];
  customPrices: readonly CustomPrice[];
}

export const noPricesInForce: PricesInForce = { overrides: [], customPrices: [] };

/**
 * Turns a list back into the prices it was made of, in its order (the order
 * the server's pricer matches them in). A config price goes through the
 * config schema again, so it is the same object the server parsed and its
 * `custom:<hash>` version comes out the same.
 */
export function pricesInForce(list: PriceList): PricesInForce {
  const overrides: PriceOverride[] = [];
  const customPrices: CustomPrice[] = [];
  for (const listed of list.overrides) {
    const price = customPriceSchema.parse({
      model: listed.model,
      ...(listed.provider === null ? {} : { provider: listed.provider }),
      input_per_mtok: listed.input_per_mtok,
      output_per_mtok: listed.output_per_mtok,
      ...(listed.cache_read_per_mtok === null ? {} : { cache_read_per_mtok: listed.cache_read_per_mtok }),
      ...(listed.cache_write_per_mtok === null ? {} : { cache_write_per_mtok: listed.cache_write_per_mtok }),
      ...(listed.reasoning_per_mtok === null ? {} : { reasoning_per_mtok: listed.reasoning_per_mtok }),
      per_call_usd: listed.per_call_usd,
    });
    if (listed.source === 'config') {
      customPrices.push(price);
      continue;
    }
    const version = /^override:(\d+)$/.exec(listed.price_version)?.[1];
    if (version === undefined) throw new Error(`price_version of an API price: expected override:<version>, got ${JSON.stringify(listed.price_version)}`);
    overrides.push({ ...price, version: Number(version), updated_at: listed.updated_at });
  }
  return { overrides, customPrices };
}
