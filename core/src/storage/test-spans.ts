import { randomBytes } from 'node:crypto';
import type { LlmSpan } from '../model/span';

/** A realistic priced span with fresh ids; tests override what they assert on. */
export function makeSpan(overrides: Partial<LlmSpan> = {}): LlmSpan {
  const start = 1_732_280_000_123_456_789n;
  return {
    trace_id: randomBytes(16).toString('hex'),
    span_id: randomBytes(8).toString('hex'),
    parent_span_id: '',
    start_time_ns: String(start),
    end_time_ns: String(start + 1_250_000_000n),
    duration_ms: 1250,
    service_name: 'checkout-api',
    span_name: 'chat gpt-4o',
    provider: 'openai',
    operation: 'chat',
    request_model: 'gpt-4o',
    response_model: 'gpt-4o-2024-08-06',
    model: 'gpt-4o-2024-08-06',
    input_tokens: 812,
    output_tokens: 164,
    cache_read_tokens: 256,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    finish_reasons: ['stop'],
    is_error: false,
    error_type: '',
    ttft_ms: 310.5,
    feature: 'support-chat',
    user_id: 'user-42',
    session_id: 'session-7',
    prompt_id: 'support-answer',
    prompt_version: '3',
    code_file_path: 'src/support/answer.ts',
    code_line_number: 48,
    code_function_name: 'answerTicket',
    cost_usd: 0.00367,
    input_cost_usd: 0.00203,
    output_cost_usd: 0.00164,
    unpriced: false,
    price_version: '2025-01-15',
    attributes: { 'gen_ai.request.temperature': '0.2', 'http.route': '/v1/answer' },
    resource_attributes: { 'service.name': 'checkout-api', 'deployment.environment': 'prod' },
    ...overrides,
  };
}
