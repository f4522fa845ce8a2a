import { describe, expect, it } from 'vitest';
import { customPriceSchema } from '../config/schema';
import { configPriceVersion } from '../pricing/price-overrides';
import { createPricer } from '../pricing/pricer';
import { priceListSchema, pricesInForce } from './prices';

describe('pricesInForce', () => {
  it('gives back the prices a list was made of, so a pricer fed them stamps the versions the server does', () => {
    // As the config file wrote it, keys in its own order; the server lists it with every field.
    const configured = customPriceSchema.parse({ output_per_mtok: 6, model: 'acme-llm', input_per_mtok: 3, cache_read_per_mtok: 1 });
    const list = priceListSchema.parse({
      catalog_version: 'genai-prices@0.1.8',
      overrides: [
        { source: 'api', model: 'gpt-4o', provider: 'openai', input_per_mtok: 1, output_per_mtok: 4, cache_read_per_mtok: null, cache_write_per_mtok: null, reasoning_per_mtok: null, per_call_usd: 0, price_version: 'override:42', updated_at: '2026-11-01T00:00:00.000Z', in_force: true },
        { source: 'config', model: 'acme-llm', provider: null, input_per_mtok: 3, output_per_mtok: 6, cache_read_per_mtok: 1, cache_write_per_mtok: null, reasoning_per_mtok: null, per_call_usd: 0, price_version: configPriceVersion(configured), updated_at: null, in_force: true },
      ],
    });
    const prices = pricesInForce(list);
    expect(prices.overrides).toEqual([{ model: 'gpt-4o', provider: 'openai', input_per_mtok: 1, output_per_mtok: 4, per_call_usd: 0, version: 42, updated_at: '2026-11-01T00:00:00.000Z' }]);
    expect(prices.customPrices).toEqual([configured]);

    const pricer = createPricer({ customPrices: prices.customPrices, overrides: prices.overrides });
    expect(pricer.applicable('openai', 'gpt-4o')).toMatchObject({ source: 'api', price_version: 'override:42' });
    expect(pricer.applicable('', 'acme-llm')).toMatchObject({ source: 'config', price_version: list.overrides[1]!.price_version });
  });
});
