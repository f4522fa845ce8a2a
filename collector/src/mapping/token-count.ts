import type { OtlpAnyValue } from '../otlp/types';

/**
 * No single LLM call uses a trillion tokens; a larger count is a unit mix-up
 * or garbage, and would swamp every cost total it was added to.
 */
export const MAX_TOKEN_COUNT = 1e12;

export type TokenCountResult = { ok: true; value: number } | { ok: false; problem: string };

/**
 * Reads a token count. Integers and integral doubles are accepted, and so are
 * decimal strings ("42"), which some SDKs send. `problem` completes a sentence
 * that starts with the attribute name: `gen_ai.usage.input_tokens is -5`.
 */
export function parseTokenCount(value: OtlpAnyValue): TokenCountResult {
  switch (value.type) {
    case 'int':
      return tokenCountOfInt(value.value);
    case 'double':
      return tokenCountOfNumber(value.value);
    case 'string':
      return tokenCountOfString(value.value);
    default:
      return { ok: false, problem: `is a ${value.type} value, not a token count` };
  }
}

/**
 * An int value is a canonical decimal string. Up to 15 digits without a sign
 * it is below 2^53, so Number reads it exactly and BigInt is not needed.
 */
function tokenCountOfInt(text: string): TokenCountResult {
  if (text.length <= 15 && text.charCodeAt(0) !== 45 /* - */) {
    const n = Number(text);
    if (n > MAX_TOKEN_COUNT) return { ok: false, problem: `is ${text}, more than ${MAX_TOKEN_COUNT} tokens` };
    return { ok: true, value: n };
  }
  return checkRange(BigInt(text), text);
}

export function tokenCountOfNumber(n: number): TokenCountResult {
  if (Number.isNaN(n)) return { ok: false, problem: 'is NaN' };
  if (!Number.isFinite(n)) return { ok: false, problem: `is ${n}` };
  if (!Number.isInteger(n)) return { ok: false, problem: `is ${n}, not a whole number` };
  return checkRange(BigInt(n), String(n));
}

export function tokenCountOfString(text: string): TokenCountResult {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed)) return checkRange(BigInt(trimmed), trimmed);
  const shown = trimmed.length > 32 ? `${trimmed.slice(0, 32)}…` : trimmed;
  return { ok: false, problem: `is ${JSON.stringify(shown)}, not a number` };
}

function checkRange(n: bigint, shown: string): TokenCountResult {
  if (n < 0n) return { ok: false, problem: `is ${shown}` };
  if (n > BigInt(MAX_TOKEN_COUNT)) return { ok: false, problem: `is ${shown}, more than ${MAX_TOKEN_COUNT} tokens` };
  return { ok: true, value: Number(n) };
}
