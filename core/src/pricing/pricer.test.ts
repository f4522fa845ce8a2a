import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { createPricer, type PriceInput } from './pricer';
import type { PriceOverride } from './price-overrides';

const at = new Date('2026-11-01T00:00:00Z');
const call = (overrides: Partial<PriceInput>): PriceInput => ({
  provider: 'openai',
  model: 'gpt-4o',
  input_tokens: 0,
  output_tokens: 0,
  cache_read_tokens: 0,
  cache_write_tokens: 0,
  reasoning_tokens: 0,
  at,
  ...overrides,
});

describe('createPricer', () => {
  const pricer = createPricer({ customPrices: [] });

  it('prices gpt-4o at list prices: $2.50 in, $1.25 cached in, $10 out per million', () => {
    // 600 uncached × 2.50 + 400 cached × 1.25 + 200 out × 10 = 4000 µ$ → $0.004
    const result = pricer.price(call({ input_tokens: 1000, cache_read_tokens: 400, output_tokens: 200 }));
    expect(result.cost_usd).toBeCloseTo(0.004, 12);
    expect(result.input_cost_usd).toBeCloseTo(0.002, 12);
    expect(result.output_cost_usd).toBeCloseTo(0.002, 12);
    expect(result.unpriced).toBe(false);
    expect(result.price_version).toMatch(/^genai-prices@\d+\.\d+\.\d+$/);
  });

  it('prices claude-sonnet-4 with cache read $0.30 and cache write $3.75', () => {
    // 500 × 3 + 200 × 0.30 + 300 × 3.75 + 100 × 15 = 4185 µ$
    const result = pricer.price(
      call({ provider: 'anthropic', model: 'claude-sonnet-4-20250514', input_tokens: 1000, cache_read_tokens: 200, cache_write_tokens: 300, output_tokens: 100 }),
    );
    expect(result.cost_usd).toBeCloseTo(0.004185, 12);
  });

  it('agrees with calcPrice on random usages for flat-priced models', () => {
    const models: Array<[string, string]> = [['openai', 'gpt-4o'], ['anthropic', 'claude-sonnet-4-20250514'], ['openai', 'gpt-4o-mini'], ['anthropic', 'claude-3-5-haiku-latest']];
    for (let i = 0; i < 200; i++) {
      const [provider, model] = models[i % models.length]!;
      const input = 1 + ((i * 7919) % 50_000);
      const usage = { input_tokens: input, output_tokens: (i * 104729) % 4000, cache_read_tokens: Math.floor(input / 3), cache_write_tokens: i % 2 ? Math.floor(input / 5) : 0 };
      const expected = calcPrice(usage, model, { providerId: provider })!.total_price;
      expect(pricer.price(call({ provider, model, ...usage })).cost_usd).toBeCloseTo(expected, 12);
    }
  });

  it('stores an unknown model as unpriced with a null cost, never zero', () => {
    const result = pricer.price(call({ provider: 'acme', model: 'acme-llm-9000', input_tokens: 10, output_tokens: 5 }));
    expect(result).toMatchObject({ cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true });
  });

  it('matches by model name when the provider is unknown to the catalogue', () => {
    const result = pricer.price(call({ provider: 'my-gateway', model: 'gpt-4o', input_tokens: 1_000_000 }));
    expect(result.cost_usd).toBeCloseTo(2.5, 12);
  });
});

describe('custom prices from spanlens.yaml', () => {
  const pricer = createPricer({
    customPrices: [
      { model: 'ft:support-bot', input_per_mtok: 0, output_per_mtok: 0, per_call_usd: 0.002 },
      { model: 'gpt-4o', provider: 'azure', input_per_mtok: 5, output_per_mtok: 15, per_call_usd: 0 },
    ],
  });

  it('charges an amortised price per call for a self-hosted model', () => {
    const result = pricer.price(call({ provider: 'vllm', model: 'ft:support-bot', input_tokens: 5000, output_tokens: 900 }));
    expect(result.cost_usd).toBeCloseTo(0.002, 12);
    expect(result.price_version).toMatch(/^custom:[0-9a-f]{12}$/);
  });

  it('overrides the catalogue for one provider only', () => {
    expect(pricer.price(call({ provider: 'azure', input_tokens: 1_000_000, output_tokens: 1_000_000 })).cost_usd).toBeCloseTo(20, 9);
    expect(pricer.price(call({ provider: 'openai', input_tokens: 1_000_000, output_tokens: 1_000_000 })).cost_usd).toBeCloseTo(12.5, 9);
  });
});

describe('API overrides', () => {
  const override = (fields: Partial<PriceOverride> & { model: string; version: number }): PriceOverride => ({
    input_per_mtok: 0,
    output_per_mtok: 0,
    per_call_usd: 0,
    updated_at: '2026-11-01T00:00:00.000Z',
    ...fields,
  });
  const config = [
    { model: 'gpt-4o', provider: 'azure', input_per_mtok: 5, output_per_mtok: 15, per_call_usd: 0 },
    { model: 'ft:support-bot', input_per_mtok: 0, output_per_mtok: 0, per_call_usd: 0.002 },
  ];
  const million = { input_tokens: 1_000_000, output_tokens: 1_000_000 };

  it('win over the config file, which wins over the catalogue; within each, a price for the provider before one for any', () => {
    const pricer = createPricer({
      customPrices: config,
      overrides: [
        override({ model: 'gpt-4o', input_per_mtok: 1, output_per_mtok: 2, version: 1_000 }),
        override({ model: 'gpt-4o', provider: 'openai', input_per_mtok: 3, output_per_mtok: 4, version: 1_001 }),
      ],
    });
    // openai: the override for openai (3 + 4), not the one for any provider (1 + 2).
    expect(pricer.price(call({ provider: 'openai', ...million }))).toMatchObject({ cost_usd: 7, price_version: 'override:1001' });
    // azure: the API's price for any provider beats the config's price for azure (5 + 15).
    expect(pricer.price(call({ provider: 'azure', ...million }))).toMatchObject({ cost_usd: 3, price_version: 'override:1000' });
    // No override for this model: the config's per-call price.
    expect(pricer.price(call({ provider: 'vllm', model: 'ft:support-bot', ...million })).cost_usd).toBeCloseTo(0.002, 12);
    // Neither: the catalogue ($3 in, $15 out per million).
    expect(pricer.price(call({ provider: 'anthropic', model: 'claude-sonnet-4-20250514', ...million })).cost_usd).toBeCloseTo(18, 9);
  });

  it('defaults cache and reasoning rates to the input and output rates, as the config does', () => {
    const pricer = createPricer({ customPrices: [], overrides: [override({ model: 'm', input_per_mtok: 2, output_per_mtok: 8, cache_read_per_mtok: 0.5, version: 7 })] });
    // 500 uncached × 2 + 300 cache reads × 0.5 + 200 cache writes × 2 (input rate) + 100 plain output × 8 + 50 reasoning × 8 (output rate) = 2750 µ$
    const result = pricer.price(call({ provider: 'x', model: 'm', input_tokens: 1000, cache_read_tokens: 300, cache_write_tokens: 200, output_tokens: 150, reasoning_tokens: 50 }));
    expect(result.cost_usd).toBeCloseTo(0.00275, 12);
  });

  it('take effect from the next span once set, and the earlier price comes back once removed (the cache is emptied)', () => {
    const pricer = createPricer({ customPrices: config });
    const openai = () => pricer.price(call({ provider: 'openai', ...million }));
    const azure = () => pricer.price(call({ provider: 'azure', ...million }));
    // Resolved (and cached) from the catalogue and the config first.
    expect(openai().cost_usd).toBeCloseTo(12.5, 9);
    expect(azure().cost_usd).toBeCloseTo(20, 9);
    pricer.setOverrides([override({ model: 'gpt-4o', input_per_mtok: 1, output_per_mtok: 1, version: 5 })]);
    expect(openai()).toMatchObject({ cost_usd: 2, price_version: 'override:5' });
    expect(azure()).toMatchObject({ cost_usd: 2, price_version: 'override:5' });
    // A changed override is a new version.
    pricer.setOverrides([override({ model: 'gpt-4o', input_per_mtok: 1, output_per_mtok: 3, version: 6 })]);
    expect(openai()).toMatchObject({ cost_usd: 4, price_version: 'override:6' });
    pricer.setOverrides([]);
    expect(openai().cost_usd).toBeCloseTo(12.5, 9);
    expect(openai().price_version).toBe(pricer.catalogVersion);
    expect(azure().cost_usd).toBeCloseTo(20, 9);
    expect(azure().price_version).toMatch(/^custom:[0-9a-f]{12}$/);
  });

  it('says which price applies, with its per-million rates and source', () => {
    const pricer = createPricer({ customPrices: config, overrides: [override({ model: 'ft:support-bot', provider: 'vllm', per_call_usd: 0.001, version: 9 })] });
    expect(pricer.applicable('vllm', 'ft:support-bot')).toEqual({
      source: 'api',
      price_version: 'override:9',
      rates: { input_per_mtok: 0, output_per_mtok: 0, cache_read_per_mtok: 0, cache_write_per_mtok: 0, reasoning_per_mtok: 0, per_call_usd: 0.001 },
    });
    expect(pricer.applicable('other', 'ft:support-bot')).toMatchObject({ source: 'config', rates: { per_call_usd: 0.002 } });
    expect(pricer.applicable('azure', 'gpt-4o')).toMatchObject({ source: 'config', rates: { input_per_mtok: 5, output_per_mtok: 15, cache_read_per_mtok: 5 } });
    const catalog = pricer.applicable('openai', 'gpt-4o');
    expect(catalog).toMatchObject({ source: 'catalog', price_version: pricer.catalogVersion, catalog: { provider: 'openai', model: 'gpt-4o' } });
    expect(catalog.rates?.input_per_mtok).toBeCloseTo(2.5, 9);
    expect(catalog.rates?.cache_read_per_mtok).toBeCloseTo(1.25, 9);
    expect(catalog.rates?.output_per_mtok).toBeCloseTo(10, 9);
    expect(pricer.applicable('acme', 'acme-llm-9000')).toEqual({ source: 'none', price_version: pricer.catalogVersion, rates: null });
  });
});
