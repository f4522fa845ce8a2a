import type { Pricer, PriceSource } from '@spanlens/core/pricing';
import { countTokens as countCl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as countO200k } from 'gpt-tokenizer/encoding/o200k_base';

export type PromptEncoding = 'o200k_base' | 'cl100k_base';

export interface PromptEstimateInput {
  /** The prompt text as it will be sent, template placeholders included. */
  text: string;
  model: string;
  provider?: string;
  expectedOutputTokens: number;
}

export interface PromptEstimate {
  inputTokens: number;
  outputTokens: number;
  /** Null when the price table does not know the model. */
  costUsd: number | null;
  priceVersion: string;
  /** Where the price came from, with the server's precedence: an API override, the config file, the catalogue (or none). */
  priceSource: PriceSource;
  encoding: PromptEncoding;
  /**
   * True when the model does not use the encoding its tokens were counted
   * with: non-OpenAI models (and OpenAI models this table does not know) are
   * counted with o200k_base, which is close for English text but not exact.
   */
  approximate: boolean;
}

/** OpenAI model families and their tokenizer, most specific first; names may carry a `provider/` prefix. */
const openAiEncodings: readonly { pattern: RegExp; encoding: PromptEncoding }[] = [
  { pattern: /^(chatgpt-4o|gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o1|o3|o4|gpt-oss)(\b|-|$)/, encoding: 'o200k_base' },
  { pattern: /^(gpt-4|gpt-3\.5|text-embedding-3|text-embedding-ada-002)(\b|-|$)/, encoding: 'cl100k_base' },
];

/** Chooses the tokenizer for a model, and says whether the count is exact for it. */
export function encodingForModel(model: string): { encoding: PromptEncoding; approximate: boolean } {
  const name = model.toLowerCase().split('/').at(-1) ?? '';
  const match = openAiEncodings.find((entry) => entry.pattern.test(name));
  return match ? { encoding: match.encoding, approximate: false } : { encoding: 'o200k_base', approximate: true };
}

/**
 * Special-token text such as `<|endoftext|>` inside a prompt is sent to the
 * API as plain text, so it is counted as plain text instead of being refused.
 */
const plainText = { disallowedSpecial: new Set<string>() };

/**
 * Estimates what one call with this prompt will cost before it ships: the
 * prompt's tokens, the expected output, priced with the same pricer that
 * prices real spans (fed the server's price overrides, when it has read
 * them). The count covers the text only; the few tokens of chat framing a
 * provider adds per message are not included.
 * The pricer and the time of pricing are passed in, so this stays pure.
 */
export function estimatePromptCost(input: PromptEstimateInput, deps: { pricer: Pricer; at: Date }): PromptEstimate {
  const { encoding, approximate } = encodingForModel(input.model);
  const inputTokens = encoding === 'o200k_base' ? countO200k(input.text, plainText) : countCl100k(input.text, plainText);
  const outputTokens = Math.max(0, Math.round(input.expectedOutputTokens));
  const price = deps.pricer.price({
    provider: input.provider ?? '',
    model: input.model,
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    at: deps.at,
  });
  const { source } = deps.pricer.applicable(input.provider ?? '', input.model, deps.at);
  return { inputTokens, outputTokens, costUsd: price.cost_usd, priceVersion: price.price_version, priceSource: source, encoding, approximate };
}
