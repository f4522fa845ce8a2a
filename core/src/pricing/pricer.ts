import { createHash } from 'node:crypto';
import { calcPrice, findProvider, type ModelInfo, type Provider, type Usage } from '@pydantic/genai-prices';
import type { CustomPrice } from '../config/schema';
import { genaiPricesVersion } from './catalog-version';
import { linearRates, priceWithRates, type TokenRates } from './linear-rates';

export interface PriceInput {
  provider: string;
  model: string;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
  /** When the call was made; prices that changed over time are applied as of then. */
  at: Date;
}

export interface PriceResult {
  cost_usd: number | null;
  input_cost_usd: number | null;
  output_cost_usd: number | null;
  unpriced: boolean;
  price_version: string;
}

export interface Pricer {
  price(input: PriceInput): PriceResult;
  /** The price-table version stamped on spans priced from the catalogue. */
  readonly catalogVersion: string;
}

type Resolved =
  | { kind: 'custom'; rates: TokenRates; version: string }
  | { kind: 'linear'; rates: TokenRates }
  | { kind: 'catalog'; provider: Provider; model: ModelInfo }
  | { kind: 'unknown' };

/**
 * Prices spans with `@pydantic/genai-prices`, plus the custom prices of the
 * config, which win over the catalogue. Resolving a model against the catalogue
 * is slow (tens of microseconds), so each provider/model pair is resolved once;
 * models with flat prices are then priced from per-token rates that the library
 * itself computed, and tiered or time-dependent ones go through `calcPrice`.
 */
export function createPricer(options: { customPrices: readonly CustomPrice[] }): Pricer {
  const catalogVersion = `genai-prices@${genaiPricesVersion()}`;
  const cache = new Map<string, Resolved>();

  const resolve = (provider: string, model: string): Resolved => {
    const key = `${provider}\u0000${model}`;
    let resolved = cache.get(key);
    if (!resolved) {
      resolved = resolveModel(provider, model, options.customPrices);
      cache.set(key, resolved);
    }
    return resolved;
  };

  return {
    catalogVersion,
    price(input) {
      const resolved = resolve(input.provider, input.model);
      switch (resolved.kind) {
        case 'custom':
          return priced(priceWithRates(resolved.rates, input), resolved.version);
        case 'linear':
          return priced(priceWithRates(resolved.rates, input), catalogVersion);
        case 'catalog': {
          const result = calcPrice(usageOf(input), resolved.model.id, { provider: resolved.provider, timestamp: input.at });
          if (!result) return unpriced(catalogVersion);
          return priced({ input: result.input_price, output: result.output_price }, catalogVersion);
        }
        case 'unknown':
          return unpriced(catalogVersion);
      }
    },
  };
}

function resolveModel(provider: string, model: string, customPrices: readonly CustomPrice[]): Resolved {
  if (!model) return { kind: 'unknown' };
  const custom =
    customPrices.find((price) => price.model === model && price.provider === provider) ??
    customPrices.find((price) => price.model === model && price.provider === undefined);
  if (custom) {
    const digest = createHash('sha256').update(JSON.stringify(custom)).digest('hex').slice(0, 12);
    return {
      kind: 'custom',
      version: `custom:${digest}`,
      rates: {
        input: custom.input_per_mtok,
        output: custom.output_per_mtok,
        cacheRead: custom.cache_read_per_mtok ?? custom.input_per_mtok,
        cacheWrite: custom.cache_write_per_mtok ?? custom.input_per_mtok,
        reasoning: custom.reasoning_per_mtok ?? custom.output_per_mtok,
        perCall: custom.per_call_usd,
      },
    };
  }
  // A provider the catalogue knows narrows the match; an unknown or missing
  // one falls back to matching the model name across providers.
  const known = provider ? findProvider({ providerId: provider }) : undefined;
  const probe = calcPrice({ input_tokens: 1 }, model, known ? { provider: known } : {});
  if (!probe) return { kind: 'unknown' };
  const rates = linearRates(probe.provider, probe.model);
  return rates ? { kind: 'linear', rates } : { kind: 'catalog', provider: probe.provider, model: probe.model };
}

function usageOf(input: PriceInput): Usage {
  return {
    input_tokens: input.input_tokens,
    output_tokens: input.output_tokens,
    cache_read_tokens: input.cache_read_tokens,
    cache_write_tokens: input.cache_write_tokens,
  };
}

function priced(cost: { input: number; output: number }, version: string): PriceResult {
  return {
    cost_usd: cost.input + cost.output,
    input_cost_usd: cost.input,
    output_cost_usd: cost.output,
    unpriced: false,
    price_version: version,
  };
}

function unpriced(version: string): PriceResult {
  return { cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true, price_version: version };
}
