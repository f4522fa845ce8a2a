import { calcPrice, type ModelInfo, type Provider } from '@pydantic/genai-prices';

/** USD per million tokens of each kind, plus a fixed amount per call. */
export interface TokenRates {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  reasoning: number;
  perCall: number;
}

const MTOK = 1_000_000;

/**
 * The per-token rates of a model whose catalogue price is flat (no tiers, no
 * time-dependent prices), read from `calcPrice` itself so that the library
 * stays the one source of prices. Returns undefined for any other model.
 */
export function linearRates(provider: Provider, model: ModelInfo): TokenRates | undefined {
  if (Array.isArray(model.prices)) return undefined;
  for (const value of Object.values(model.prices)) {
    if (value !== undefined && typeof value !== 'number') return undefined;
  }
  const at = (usage: Record<string, number>): number => calcPrice(usage, model.id, { provider })?.total_price ?? NaN;
  const input = at({ input_tokens: MTOK });
  const output = at({ output_tokens: MTOK });
  const rates: TokenRates = {
    input,
    output,
    cacheRead: at({ input_tokens: MTOK, cache_read_tokens: MTOK }),
    cacheWrite: at({ input_tokens: MTOK, cache_write_tokens: MTOK }),
    // The catalogue bills reasoning tokens as output tokens.
    reasoning: output,
    perCall: 0,
  };
  return Object.values(rates).every(Number.isFinite) ? rates : undefined;
}

/**
 * The per-million-token rates of any catalogue model as of `at`, for showing
 * which price applies: read from `calcPrice` on a thousand tokens of each
 * kind, so a tiered price shows its first tier. Kinds the model does not
 * price come out as what `calcPrice` charges for them.
 */
export function ratesAsOf(provider: Provider, model: ModelInfo, at: Date): TokenRates {
  const scale = 1000;
  const cost = (usage: Record<string, number>): number => (calcPrice(usage, model.id, { provider, timestamp: at })?.total_price ?? NaN) * (MTOK / scale);
  const output = cost({ output_tokens: scale });
  return {
    input: cost({ input_tokens: scale }),
    output,
    cacheRead: cost({ input_tokens: scale, cache_read_tokens: scale }),
    cacheWrite: cost({ input_tokens: scale, cache_write_tokens: scale }),
    reasoning: output,
    perCall: 0,
  };
}

/**
 * Cost of one call. `input_tokens` is the total input, cache reads and writes
 * included (the GenAI convention); `output_tokens` includes reasoning tokens.
 */
export function priceWithRates(
  rates: TokenRates,
  usage: { input_tokens: number; output_tokens: number; cache_read_tokens: number; cache_write_tokens: number; reasoning_tokens: number },
): { input: number; output: number } {
  const uncached = Math.max(0, usage.input_tokens - usage.cache_read_tokens - usage.cache_write_tokens);
  const reasoning = Math.min(usage.reasoning_tokens, usage.output_tokens);
  const input =
    (uncached * rates.input + usage.cache_read_tokens * rates.cacheRead + usage.cache_write_tokens * rates.cacheWrite) / MTOK +
    rates.perCall;
  const output = ((usage.output_tokens - reasoning) * rates.output + reasoning * rates.reasoning) / MTOK;
  return { input, output };
}
