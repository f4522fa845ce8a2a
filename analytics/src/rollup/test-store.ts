import type { LlmSpan } from '@spanlens/core';
import { makeSpan } from '@spanlens/core/testing';

export { openTestStore } from '@spanlens/core/testing';
export type { TestStore } from '@spanlens/core/testing';

/** A span starting at `at` with fresh ids and nothing counted; tests set what they assert on. */
export function spanAt(at: Date, overrides: Partial<LlmSpan> = {}): LlmSpan {
  const startNs = BigInt(at.getTime()) * 1_000_000n + 123_456n;
  return makeSpan({
    start_time_ns: String(startNs),
    end_time_ns: String(startNs + 800_000_000n),
    duration_ms: 800,
    service_name: 'web',
    span_name: 'chat',
    response_model: 'gpt-4o',
    model: 'gpt-4o',
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    ttft_ms: null,
    feature: '',
    user_id: '',
    session_id: '',
    prompt_id: '',
    prompt_version: '',
    code_file_path: '',
    code_line_number: 0,
    code_function_name: '',
    cost_usd: 0,
    input_cost_usd: 0,
    output_cost_usd: 0,
    price_version: 'test',
    attributes: {},
    resource_attributes: {},
    ...overrides,
  });
}
