import { calcPrice, findProvider, type ModelInfo, type Provider, type Usage } from '@pydantic/genai-prices';
import type { CustomPrice } from '../config/schema';
import { genaiPricesVersion } from './catalog-version';
import { linearRates, priceWithRates, ratesAsOf, type TokenRates } from './linear-rates';
import { configPriceVersion, overridePriceVersion, type PriceOverride } from './price-overrides';

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

/** USD per million tokens of each kind, and per call: the fields of a `pricing.models` entry. */
export interface PerMillionRates {
  input_per_mtok: number;
  output_per_mtok: number;
  cache_read_per_mtok: number;
  cache_write_per_mtok: number;
  reasoning_per_mtok: number;
  per_call_usd: number;
}

/** Where the price of a model comes from: an API override, the config file, the catalogue, or nowhere (unpriced). */
export type PriceSource = 'api' | 'config' | 'catalog' | 'none';

/** Which price a span of this provider and model gets now, and at what rates. */
export interface AppliedPrice {
  source: PriceSource;
  /** What the span's `price_version` will be. */
  price_version: string;
  /** Null when the model is unpriced. */
  rates: PerMillionRates | null;
  /** The catalogue's provider and model id the name matched (catalogue prices only). */
  catalog?: { provider: string; model: string };
  /** True when the catalogue's price depends on volume or time: `rates` are its first tier, as of now. */
  varies?: boolean;
}

export interface Pricer {
  price(input: PriceInput): PriceResult;
  /** The price-table version stamped on spans priced from the catalogue. */
  readonly catalogVersion: string;
  /**
   * Replaces the API overrides (they win over the config's prices and the
   * catalogue). Every model is resolved again from the next span on.
   */
  setOverrides(overrides: readonly PriceOverride[]): void;
  /** Which price applies to a span of this provider and model (as of `at`, default now). */
  applicable(provider: string, model: string, at?: Date): AppliedPrice;
}

type Resolved =
  | { kind: 'custom'; source: 'api' | 'config'; rates: TokenRates; version: string }
  | { kind: 'linear'; rates: TokenRates; provider: Provider; model: ModelInfo }
  | { kind: 'catalog'; provider: Provider; model: ModelInfo }
  | { kind: 'unknown' };

/**
 * Prices spans with `@pydantic/genai-prices`, plus custom prices, which win
 * over the catalogue: API overrides first, then the config's `pricing.models`
 * (within each, a price for the span's provider before one for any
 * provider). Resolving a model against the catalogue is slow (tens of
 * microseconds), so each provider/model pair is resolved once, until the
 * overrides change; models with flat prices are then priced from per-token
 * rates that the library itself computed, and tiered or time-dependent ones
 * go through `calcPrice`.
 */
export function createPricer(options: { customPrices: readonly CustomPrice[]; overrides?: readonly PriceOverride[] }): Pricer {
  const catalogVersion = `genai-prices@${genaiPricesVersion()}`;
  let cache = new Map<string, Resolved>();
  let overrides: readonly PriceOverride[] = options.overrides ?? [];

  const resolve = (provider: string, model: string): Resolved => {
    const key = `${provider}\u0000${model}`;
    let resolved = cache.get(key);
    if (!resolved) {
      resolved = resolveModel(provider, model, overrides, options.customPrices);
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
    setOverrides(next) {
      overrides = [...next];
      // A new map rather than clear(): a resolution already under way lands in the old one.
      cache = new Map();
    },
    applicable(provider, model, at = new Date()) {
      const resolved = resolve(provider, model);
      switch (resolved.kind) {
        case 'custom':
          return { source: resolved.source, price_version: resolved.version, rates: perMillion(resolved.rates) };
        case 'linear':
          return { source: 'catalog', price_version: catalogVersion, rates: perMillion(resolved.rates), catalog: { provider: resolved.provider.id, model: resolved.model.id } };
        case 'catalog':
          return { source: 'catalog', price_version: catalogVersion, rates: perMillion(ratesAsOf(resolved.provider, resolved.model, at)), catalog: { provider: resolved.provider.id, model: resolved.model.id }, varies: true };
        case 'unknown':
          return { source: 'none', price_version: catalogVersion, rates: null };
      }
    },
  };
}

function resolveModel(provider: string, model: string, overrides: readonly PriceOverride[], customPrices: readonly CustomPrice[]): Resolved {
  if (!model) return { kind: 'unknown' };
  const override = matching(overrides, provider, model);
  if (override) return { kind: 'custom', source: 'api', version: overridePriceVersion(override.version), rates: tokenRates(override) };
  const custom = matching(customPrices, provider, model);
  if (custom) return { kind: 'custom', source: 'config', version: configPriceVersion(custom), rates: tokenRates(custom) };
  // A provider the catalogue knows narrows the match; an unknown or missing
  // one falls back to matching the model name across providers.
  const known = provider ? findProvider({ providerId: provider }) : undefined;
  const probe = calcPrice({ input_tokens: 1 }, model, known ? { provider: known } : {});
  if (!probe) return { kind: 'unknown' };
  const rates = linearRates(probe.provider, probe.model);
  return rates ? { kind: 'linear', rates, provider: probe.provider, model: probe.model } : { kind: 'catalog', provider: probe.provider, model: probe.model };
}

/** A price for this provider, else one for any provider. */
function matching<P extends CustomPrice>(prices: readonly P[], provider: string, model: string): P | undefined {
  return prices.find((price) => price.model === model && price.provider === provider) ?? prices.find((price) => price.model === model && price.provider === undefined);
}

function tokenRates(price: CustomPrice): TokenRates {
  return {
    input: price.input_per_mtok,
    output: price.output_per_mtok,
    cacheRead: price.cache_read_per_mtok ?? price.input_per_mtok,
    cacheWrite: price.cache_write_per_mtok ?? price.input_per_mtok,
    reasoning: price.reasoning_per_mtok ?? price.output_per_mtok,
    perCall: price.per_call_usd,
  };
}

function perMillion(rates: TokenRates): PerMillionRates {
  return {
    input_per_mtok: rates.input,
    output_per_mtok: rates.output,
    cache_read_per_mtok: rates.cacheRead,
    cache_write_per_mtok: rates.cacheWrite,
    reasoning_per_mtok: rates.reasoning,
    per_call_usd: rates.perCall,
  };
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
