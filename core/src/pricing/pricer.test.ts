import { calcPrice } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import { createPricer, type PriceInput } from './pricer';

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
