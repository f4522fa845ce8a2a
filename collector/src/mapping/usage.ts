import type { AttributeMap } from './attribute-lookup';
import { findFirst } from './attribute-lookup';
import {
  CACHE_READ_TOKEN_KEYS,
  CACHE_WRITE_TOKEN_KEYS,
  INPUT_TOKEN_KEYS,
  LANGFUSE_USAGE_KEY,
  OUTPUT_TOKEN_KEYS,
  REASONING_TOKEN_KEYS,
  TOTAL_TOKEN_KEYS,
} from './attribute-keys';
import { parseLangfuseUsage } from './langfuse-usage';
import { parseTokenCount } from './token-count';

export interface TokenUsage {
  /** All input tokens, cached ones included (see `extractUsage`). */
  input_tokens: number;
  /** All output tokens, reasoning ones included. */
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  reasoning_tokens: number;
}

/** `message` names the attribute and what is wrong with it. */
export type UsageResult = { ok: true; usage: TokenUsage } | { ok: false; message: string };

class InvalidTokens extends Error {}

/**
 * Token usage from a span's attributes, first matching key per field.
 *
 * The stored `input_tokens` is the total input, cache reads and writes
 * included: that is what the GenAI semantic conventions ask of
 * `gen_ai.usage.input_tokens`, what OpenAI reports, and what genai-prices
 * expects. Anthropic's API reports input *excluding* cache tokens, and some
 * instrumentations pass that through unchanged (Vercel AI SDK v5, for one).
 * The reported input is trusted as the total unless the cache tokens alone
 * exceed it, which a total cannot do; then the input is taken as the uncached
 * part and the cache tokens are added. (A call whose uncached input exceeds
 * its cached input, reported Anthropic-style, is not detectable and stays
 * under-counted; the instrumentations checked include cache tokens.)
 * The same holds for reasoning tokens within output tokens.
 * Langfuse usage details follow their own, disjoint rule (langfuse-usage.ts).
 */
export function extractUsage(span: AttributeMap): UsageResult {
  try {
    const input = read(span, INPUT_TOKEN_KEYS);
    const output = read(span, OUTPUT_TOKEN_KEYS);
    const total = read(span, TOTAL_TOKEN_KEYS);
    if (input === undefined && output === undefined && total === undefined) {
      const langfuse = span.get(LANGFUSE_USAGE_KEY);
      if (langfuse !== undefined) return parseLangfuseUsage(langfuse);
    }
    const cacheRead = read(span, CACHE_READ_TOKEN_KEYS) ?? 0;
    const cacheWrite = read(span, CACHE_WRITE_TOKEN_KEYS) ?? 0;
    const reasoning = read(span, REASONING_TOKEN_KEYS) ?? 0;

    // Embedding spans often report only a total, which is all input.
    let inputTokens = input ?? (total !== undefined ? Math.max(total - (output ?? 0), 0) : 0);
    if (cacheRead + cacheWrite > inputTokens) inputTokens += cacheRead + cacheWrite;
    let outputTokens = output ?? 0;
    if (reasoning > outputTokens) outputTokens += reasoning;

    return {
      ok: true,
      usage: {
        input_tokens: inputTokens,
        output_tokens: outputTokens,
        cache_read_tokens: cacheRead,
        cache_write_tokens: cacheWrite,
        reasoning_tokens: reasoning,
      },
    };
  } catch (err) {
    if (err instanceof InvalidTokens) return { ok: false, message: err.message };
    throw err;
  }
}

/** The first present key decides: a bad value there rejects the span rather than falling through to another dialect. */
function read(span: AttributeMap, keys: readonly string[]): number | undefined {
  const found = findFirst(span, keys);
  if (!found) return undefined;
  const count = parseTokenCount(found.value);
  if (!count.ok) throw new InvalidTokens(`${found.key} ${count.problem}`);
  return count.value;
}
