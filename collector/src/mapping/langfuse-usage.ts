import { anyValueToJson } from '../otlp/any-value';
import type { OtlpAnyValue } from '../otlp/types';
import { LANGFUSE_USAGE_KEY } from './attribute-keys';
import { tokenCountOfNumber, tokenCountOfString, type TokenCountResult } from './token-count';
import type { TokenUsage, UsageResult } from './usage';

/**
 * Reads `langfuse.observation.usage_details`, a JSON object of usage types to
 * counts such as `{"input":10,"output":5,"cache_read_input_tokens":2000}`.
 *
 * Langfuse usage types are disjoint: Langfuse prices each type on its own and,
 * when no `total` is sent, sums all of them. Its integrations subtract cached
 * tokens from `input` and reasoning tokens from `output` (input_cached_tokens,
 * output_reasoning_tokens). So, unlike the other dialects, the totals here are
 * always the sum of the parts: input = input + cache reads + cache writes +
 * other input types, output = output + reasoning + other output types.
 */
export function parseLangfuseUsage(value: OtlpAnyValue): UsageResult {
  const details = usageObject(value);
  if (details === undefined) return { ok: false, message: `${LANGFUSE_USAGE_KEY} is not a JSON object` };

  const usage: TokenUsage = { input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0 };
  let plainInput = 0;
  let plainOutput = 0;
  for (const [usageType, raw] of Object.entries(details)) {
    const type = usageType.toLowerCase();
    if (raw === null || type === 'total' || type === 'unit') continue;
    const count = countOf(raw);
    if (!count.ok) return { ok: false, message: `${LANGFUSE_USAGE_KEY}.${usageType} ${count.problem}` };
    const n = count.value;
    if (type.includes('cache_read') || type.includes('cached') || type.includes('cache_hit')) usage.cache_read_tokens += n;
    else if (type.includes('cache_creation') || type.includes('cache_write')) usage.cache_write_tokens += n;
    else if (type.includes('reasoning')) usage.reasoning_tokens += n;
    else if (type === 'input' || type.includes('input') || type.includes('prompt')) plainInput += n;
    else if (type === 'output' || type.includes('output') || type.includes('completion')) plainOutput += n;
    // Other usage types (characters, images, seconds, …) are not tokens; they are left out.
  }
  usage.input_tokens = plainInput + usage.cache_read_tokens + usage.cache_write_tokens;
  usage.output_tokens = plainOutput + usage.reasoning_tokens;
  return { ok: true, usage };
}

function usageObject(value: OtlpAnyValue): Record<string, unknown> | undefined {
  let text: string;
  if (value.type === 'string') text = value.value;
  else if (value.type === 'kvlist') text = anyValueToJson(value);
  else return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: reported below as not an object.
  }
  return undefined;
}

function countOf(raw: unknown): TokenCountResult {
  if (typeof raw === 'number') return tokenCountOfNumber(raw);
  if (typeof raw === 'string') return tokenCountOfString(raw);
  return { ok: false, problem: `is ${Array.isArray(raw) ? 'an array' : typeof raw}, not a token count` };
}
