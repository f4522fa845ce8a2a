import { pricesInForce, type PriceList } from '@spanlens/core/api/prices';
import { describe, expect, it } from 'vitest';
import { estimatePromptCost } from '../annotations/estimate';
import { EstimatePricer } from './estimate-pricer';
import { estimateSection } from './estimate-text';

/*
 * The prompt is 26 tokens in o200k_base (counted with OpenAI's tiktoken; see
 * estimate.test.ts); 500 output tokens are expected. Per call, by hand:
 *   catalogue gpt-4o ($2.50 in, $10 out per million):  26 × 2.5 + 500 × 10 = 5065 µ$ → $0.005065
 *   API override for openai ($1.20 in, $4.80 out):     26 × 1.2 + 500 × 4.8 = 2431.2 µ$ → $0.0024312
 *   config price for any provider ($2 in, $8 out):     26 × 2 + 500 × 8 = 4052 µ$ → $0.004052
 *   config price of a self-hosted fine-tune ($0.50 in, $1 out, $0.001 a call):
 *                                                      26 × 0.5 + 500 × 1 + 1000 = 1513 µ$ → $0.001513
 */
const text = 'Summarise the following support ticket in two sentences, then list any refund the customer asked for.\n\nTicket: {{ticket_body}}';
const at = new Date('2026-11-22T12:00:00Z');

const listed = (values: { model: string; provider?: string; input: number; output: number; perCall?: number }) => ({
  model: values.model,
  provider: values.provider ?? null,
  input_per_mtok: values.input,
  output_per_mtok: values.output,
  cache_read_per_mtok: null,
  cache_write_per_mtok: null,
  reasoning_per_mtok: null,
  per_call_usd: values.perCall ?? 0,
});

/** A `GET /api/v1/prices` answer, as the route writes it. */
const list = (api: boolean): PriceList => ({
  catalog_version: 'genai-prices@0.1.8',
  overrides: [
    ...(api ? [{ source: 'api' as const, ...listed({ model: 'gpt-4o', provider: 'openai', input: 1.2, output: 4.8 }), price_version: 'override:1795000000000', updated_at: '2026-11-18T08:26:40.000Z', in_force: true }] : []),
    { source: 'config' as const, ...listed({ model: 'gpt-4o', input: 2, output: 8 }), price_version: 'custom:aaaaaaaaaaaa', updated_at: null, in_force: true },
    { source: 'config' as const, ...listed({ model: 'acme-ft', input: 0.5, output: 1, perCall: 0.001 }), price_version: 'custom:bbbbbbbbbbbb', updated_at: null, in_force: true },
  ],
});

describe('EstimatePricer', () => {
  const estimate = (pricer: EstimatePricer, model: string, provider?: string) =>
    estimatePromptCost({ text, model, ...(provider ? { provider } : {}), expectedOutputTokens: 500 }, { pricer: pricer.current, at });

  it('prices estimates with the catalogue until the server has answered, then with its overrides: API, then config, then catalogue', () => {
    const pricer = new EstimatePricer();
    expect(estimate(pricer, 'gpt-4o', 'openai')).toMatchObject({ inputTokens: 26, outputTokens: 500, priceSource: 'catalog' });
    expect(estimate(pricer, 'gpt-4o', 'openai').costUsd).toBeCloseTo(0.005065, 12);
    expect(estimate(pricer, 'acme-ft').costUsd).toBeNull();

    pricer.use(pricesInForce(list(true)));
    const overridden = estimate(pricer, 'gpt-4o', 'openai');
    expect(overridden).toMatchObject({ priceSource: 'api', priceVersion: 'override:1795000000000' });
    expect(overridden.costUsd).toBeCloseTo(0.0024312, 12);
    // The API's price is for openai only; another provider gets the config's price for any provider.
    expect(estimate(pricer, 'gpt-4o', 'azure')).toMatchObject({ priceSource: 'config', costUsd: expect.closeTo(0.004052, 12) });
    expect(estimate(pricer, 'acme-ft')).toMatchObject({ priceSource: 'config', approximate: true, costUsd: expect.closeTo(0.001513, 12) });
    expect(estimateSection(overridden, undefined)).toContain('- Cost: $0.0024/call (price: api override, override:1795000000000)');

    // The API's price deleted: the config's price applies again; no prices at all: the catalogue.
    pricer.use(pricesInForce(list(false)));
    expect(estimate(pricer, 'gpt-4o', 'openai')).toMatchObject({ priceSource: 'config', costUsd: expect.closeTo(0.004052, 12) });
    pricer.use({ overrides: [], customPrices: [] });
    const catalogue = estimate(pricer, 'gpt-4o', 'openai');
    expect(catalogue).toMatchObject({ priceSource: 'catalog', costUsd: expect.closeTo(0.005065, 12) });
    expect(estimateSection(catalogue, undefined)).toMatch(/- Cost: \$0\.0051\/call \(price: catalog, genai-prices@\d+\.\d+\.\d+\)/);
  });
});
