import { createPricer } from '@spanlens/core';
import { describe, expect, it } from 'vitest';
import { encodingForModel, estimatePromptCost } from './estimate';

/*
 * Token counts below were computed independently with OpenAI's tiktoken
 * (Python, Rust BPE), whose published o200k_base / cl100k_base rank files
 * matched tiktoken's own SHA-256 check:
 *
 *   english → o200k_base 26, cl100k_base 26
 *     o200k tokens: 'Summ' 'ar' 'ise' ' the' ' following' ' support' ' ticket' ' in' ' two'
 *     ' sentences' ',' ' then' ' list' ' any' ' refund' ' the' ' customer' ' asked' ' for'
 *     '.\n\n' 'Ticket' ':' ' {{' 'ticket' '_body' '}}'
 *   mixed   → o200k_base 19, cl100k_base 23
 */
const english = 'Summarise the following support ticket in two sentences, then list any refund the customer asked for.\n\nTicket: {{ticket_body}}';
const mixed = 'Résumez ce ticket en deux phrases. 请用两句话总结这张工单。';

const at = new Date('2026-11-01T00:00:00Z');
const deps = () => ({ pricer: createPricer({ customPrices: [] }), at });

describe('estimatePromptCost', () => {
  it('counts gpt-4o prompts with o200k_base and prices them at $2.50 in / $10 out per million', () => {
    const estimate = estimatePromptCost({ text: english, model: 'gpt-4o', provider: 'openai', expectedOutputTokens: 500 }, deps());
    expect(estimate).toMatchObject({ inputTokens: 26, outputTokens: 500, encoding: 'o200k_base', approximate: false, priceSource: 'catalog' });
    expect(estimate.costUsd).toBeCloseTo((26 * 2.5 + 500 * 10) / 1e6, 12);
    expect(estimate.priceVersion).toMatch(/^genai-prices@/);
    expect(estimatePromptCost({ text: mixed, model: 'gpt-4o', expectedOutputTokens: 0 }, deps()).inputTokens).toBe(19);
  });

  it('counts gpt-4 prompts with cl100k_base and prices them at $30 in / $60 out per million', () => {
    const estimate = estimatePromptCost({ text: mixed, model: 'gpt-4', provider: 'openai', expectedOutputTokens: 100 }, deps());
    expect(estimate).toMatchObject({ inputTokens: 23, outputTokens: 100, encoding: 'cl100k_base', approximate: false });
    expect(estimate.costUsd).toBeCloseTo((23 * 30 + 100 * 60) / 1e6, 12);
  });

  it('approximates non-OpenAI models with o200k_base and says so', () => {
    const estimate = estimatePromptCost({ text: english, model: 'claude-sonnet-4-5', provider: 'anthropic', expectedOutputTokens: 200 }, deps());
    // Claude Sonnet 4.5 below 200k input tokens: $3 in / $15 out per million.
    expect(estimate).toMatchObject({ inputTokens: 26, outputTokens: 200, encoding: 'o200k_base', approximate: true });
    expect(estimate.costUsd).toBeCloseTo((26 * 3 + 200 * 15) / 1e6, 12);
  });

  it('prices with an override list as the server does: an API price before a config price before the catalogue', () => {
    const pricer = createPricer({
      customPrices: [{ model: 'gpt-4o', input_per_mtok: 2, output_per_mtok: 8, per_call_usd: 0 }],
      overrides: [],
    });
    pricer.setOverrides([{ model: 'gpt-4o', provider: 'openai', input_per_mtok: 1.25, output_per_mtok: 5, per_call_usd: 0.0001, version: 1795000000000, updated_at: '2026-11-18T08:26:40.000Z' }]);
    const input = { text: english, model: 'gpt-4o', expectedOutputTokens: 400 };
    // 26 × 1.25 + 400 × 5 = 2032.5 µ$, + $0.0001 a call → $0.0021325.
    const api = estimatePromptCost({ ...input, provider: 'openai' }, { pricer, at });
    expect(api).toMatchObject({ inputTokens: 26, outputTokens: 400, priceSource: 'api', priceVersion: 'override:1795000000000' });
    expect(api.costUsd).toBeCloseTo(0.0021325, 12);
    // The API's price is openai's; another provider gets the config's: 26 × 2 + 400 × 8 = 3252 µ$.
    const config = estimatePromptCost({ ...input, provider: 'azure' }, { pricer, at });
    expect(config).toMatchObject({ priceSource: 'config', priceVersion: expect.stringMatching(/^custom:/) });
    expect(config.costUsd).toBeCloseTo(0.003252, 12);
    // gpt-4o-mini has neither: the catalogue's $0.15 in, $0.60 out → 26 × 0.15 + 400 × 0.6 = 243.9 µ$.
    const catalogue = estimatePromptCost({ ...input, model: 'gpt-4o-mini', provider: 'openai' }, { pricer, at });
    expect(catalogue).toMatchObject({ priceSource: 'catalog' });
    expect(catalogue.costUsd).toBeCloseTo(0.0002439, 12);
  });

  it('returns a null cost for a model the price table does not know', () => {
    const estimate = estimatePromptCost({ text: english, model: 'my-finetune-xyz', expectedOutputTokens: 10 }, deps());
    expect(estimate).toMatchObject({ inputTokens: 26, costUsd: null, approximate: true });
  });

  it('counts special-token text as plain text instead of throwing', () => {
    const estimate = estimatePromptCost({ text: 'a <|endoftext|> b', model: 'gpt-4o', expectedOutputTokens: 0 }, deps());
    expect(estimate.inputTokens).toBeGreaterThan(3);
  });
});

describe('encodingForModel', () => {
  it.each([
    ['gpt-4o-mini', 'o200k_base', false],
    ['openai/gpt-4.1-nano', 'o200k_base', false],
    ['o3-mini', 'o200k_base', false],
    ['gpt-4-turbo', 'cl100k_base', false],
    ['gpt-3.5-turbo', 'cl100k_base', false],
    ['gemini-2.5-pro', 'o200k_base', true],
  ] as const)('%s → %s', (model, encoding, approximate) => expect(encodingForModel(model)).toEqual({ encoding, approximate }));
});
