import { describe, expect, it } from 'vitest';
import { llmSpanSchema } from '@spanlens/core';
import { mapFixture } from './fixtures/otlp-json';
import type { MapTraceResult } from './map-request';

/*
 * One OTLP/JSON request per instrumentation dialect, written by hand from each
 * dialect's documented attribute names. Every expected value below was read
 * off the fixture (or worked out from it by hand), not from the mapper.
 */

function bySpanId(result: MapTraceResult, spanId: string) {
  const span = result.spans.find((s) => s.span_id === spanId);
  if (!span) throw new Error(`span ${spanId} was not mapped`);
  return span;
}

/** Every mapped span must satisfy the storage schema once pricing fills the cost fields. */
function expectValidSpans(result: MapTraceResult) {
  for (const span of result.spans) {
    const priced = { ...span, cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true, price_version: '' };
    expect(llmSpanSchema.safeParse(priced).success).toBe(true);
  }
}

describe('OpenTelemetry GenAI semantic conventions (current names)', () => {
  const result = mapFixture('genai-semconv.json');

  it('maps the chat span, skips the HTTP span, maps the embeddings span', () => {
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.spans.map((s) => s.span_id)).toEqual(['00f067aa0ba902b7', '1c2d3e4f50617283']);
    expectValidSpans(result);
  });

  it('maps model, provider, tokens and attribution', () => {
    const chat = bySpanId(result, '00f067aa0ba902b7');
    expect(chat).toMatchObject({
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      parent_span_id: 'b7ad6b7169203331',
      start_time_ns: '1718035200123456789',
      end_time_ns: '1718035201456789012',
      duration_ms: 1333.332223,
      service_name: 'support-api',
      span_name: 'chat gpt-4o-mini',
      provider: 'openai',
      operation: 'chat',
      request_model: 'gpt-4o-mini',
      response_model: 'gpt-4o-mini-2024-07-18',
      model: 'gpt-4o-mini-2024-07-18',
      input_tokens: 1200,
      output_tokens: 85,
      cache_read_tokens: 1024,
      cache_write_tokens: 0,
      reasoning_tokens: 0,
      finish_reasons: ['stop'],
      is_error: false,
      error_type: '',
      ttft_ms: null,
      feature: 'support-reply',
      user_id: 'user-123',
      session_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY',
      prompt_id: 'support-answer',
      prompt_version: '7',
      code_file_path: 'src/support/answer.ts',
      code_line_number: 42,
      code_function_name: 'SupportBot.answerTicket',
    });
  });

  it('keeps metadata attributes as text and drops message content', () => {
    const chat = bySpanId(result, '00f067aa0ba902b7');
    expect(chat.attributes['gen_ai.request.temperature']).toBe('0.2');
    expect(chat.attributes['server.port']).toBe('443');
    expect(chat.attributes).not.toHaveProperty(['gen_ai.input.messages']);
    expect(chat.attributes).not.toHaveProperty(['gen_ai.output.messages']);
    expect(chat.attributes).not.toHaveProperty(['gen_ai.system_instructions']);
    // Attributes with a column of their own are not repeated in the map.
    expect(chat.finish_reasons).toEqual(['stop']);
    expect(chat.attributes).not.toHaveProperty(['gen_ai.response.finish_reasons']);
    expect(chat.attributes).not.toHaveProperty(['gen_ai.request.model']);
    // Only the resource attributes of the configured prefixes: not telemetry.sdk.*.
    expect(chat.resource_attributes).toEqual({
      'service.name': 'support-api',
      'service.version': '1.4.0',
      'deployment.environment.name': 'production',
    });
  });

  it('maps the embeddings operation', () => {
    expect(bySpanId(result, '1c2d3e4f50617283')).toMatchObject({
      operation: 'embeddings',
      model: 'text-embedding-3-small',
      input_tokens: 16,
      output_tokens: 0,
      feature: 'ticket-search',
      duration_ms: 250,
    });
  });
});

describe('OpenTelemetry GenAI semantic conventions (deprecated names)', () => {
  const result = mapFixture('genai-deprecated.json');

  it('reads gen_ai.system, prompt/completion tokens and the old code attributes', () => {
    expect(result.rejected).toEqual([]);
    expectValidSpans(result);
    expect(bySpanId(result, 'b9c7c989f97918e1')).toMatchObject({
      provider: 'azure',
      request_model: 'gpt-4o',
      model: 'gpt-4o-2024-05-13',
      input_tokens: 640,
      output_tokens: 128,
      finish_reasons: ['length'],
      code_file_path: 'app/routes/summarise.py',
      code_line_number: 88,
      code_function_name: 'app.routes.summarise',
      user_id: 'enduser-77',
      session_id: 'sess-42',
      // Not on the span: the resource's `app.feature`, the second configured feature key.
      feature: 'weekly-digest',
      parent_span_id: '',
    });
    const stored = bySpanId(result, 'b9c7c989f97918e1').attributes;
    expect(stored).not.toHaveProperty(['gen_ai.prompt']);
    expect(stored).not.toHaveProperty(['gen_ai.completion']);
  });

  it('marks the failed call as an error with its error.type', () => {
    expect(bySpanId(result, 'c1d2e3f405162738')).toMatchObject({
      is_error: true,
      error_type: 'APITimeoutError',
      provider: 'openai',
      model: 'gpt-4o',
      input_tokens: 0,
      output_tokens: 0,
      duration_ms: 30000,
    });
  });
});

describe('OpenLLMetry (Traceloop)', () => {
  const result = mapFixture('openllmetry.json');

  it('skips the workflow span and maps both LLM spans', () => {
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.spans).toHaveLength(2);
    expectValidSpans(result);
  });

  it('maps the Anthropic span, whose prompt tokens already include cache tokens', () => {
    const span = bySpanId(result, '1000000000000002');
    expect(span).toMatchObject({
      provider: 'anthropic',
      operation: 'chat',
      model: 'claude-3-5-sonnet-20241022',
      input_tokens: 2350,
      output_tokens: 120,
      cache_read_tokens: 2000,
      cache_write_tokens: 300,
      finish_reasons: ['end_turn'],
      user_id: 'u-42',
      session_id: 's-9',
      feature: 'doc-summary',
      prompt_id: 'summarise',
      prompt_version: '3',
      duration_ms: 4000,
    });
    expect(Object.keys(span.attributes).filter((k) => k.startsWith('gen_ai.prompt') || k.startsWith('gen_ai.completion'))).toEqual([]);
  });

  it('maps the older llm.* names', () => {
    const span = bySpanId(result, '1000000000000003');
    expect(span).toMatchObject({
      provider: 'openai',
      request_model: 'gpt-3.5-turbo',
      response_model: 'gpt-3.5-turbo-0613',
      model: 'gpt-3.5-turbo-0613',
      input_tokens: 30,
      output_tokens: 12,
    });
    expect(span.attributes).not.toHaveProperty(['llm.prompts.0.content']);
    expect(span.attributes).not.toHaveProperty(['llm.completions.0.content']);
  });
});

describe('OpenInference', () => {
  const result = mapFixture('openinference.json');

  it('skips the chain span and maps the LLM and embedding spans', () => {
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toBe(1);
    expectValidSpans(result);
  });

  it('maps llm.token_count.* and the prompt template id and version', () => {
    const span = bySpanId(result, '2000000000000002');
    expect(span).toMatchObject({
      provider: 'openai',
      operation: 'chat',
      request_model: 'gpt-4o-2024-08-06',
      model: 'gpt-4o-2024-08-06',
      input_tokens: 1500,
      output_tokens: 200,
      cache_read_tokens: 1024,
      user_id: 'user-7',
      session_id: 'sess-oi-1',
      feature: 'faq-answers',
      prompt_id: 'faq-answer',
      prompt_version: 'v2',
      duration_ms: 2250,
    });
    for (const key of ['input.value', 'output.value', 'llm.prompt_template.variables', 'llm.input_messages.1.message.content', 'llm.output_messages.0.message.content']) {
      expect(span.attributes).not.toHaveProperty([key]);
    }
    expect(span.attributes['llm.prompt_template.template']).toBe('Answer from the FAQ: {question}');
    expect(span.attributes['tag.tags']).toBe('["faq","beta"]');
  });

  it('maps the embedding span', () => {
    const span = bySpanId(result, '2000000000000003');
    expect(span).toMatchObject({ operation: 'embeddings', model: 'text-embedding-3-small', provider: 'openai', input_tokens: 8, output_tokens: 0 });
    expect(span.attributes).not.toHaveProperty(['embedding.embeddings.0.embedding.text']);
  });
});

describe('Vercel AI SDK v4', () => {
  const result = mapFixture('vercel-ai-v4.json');

  it('skips the ai.generateText wrapper so the call is counted once', () => {
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toBe(1);
    expect(result.spans.map((s) => s.span_id)).toEqual(['3000000000000002', '3000000000000003']);
    expectValidSpans(result);
  });

  it('maps the doGenerate span', () => {
    const span = bySpanId(result, '3000000000000002');
    expect(span).toMatchObject({
      provider: 'openai',
      request_model: 'gpt-4o-mini',
      model: 'gpt-4o-mini-2024-07-18',
      input_tokens: 300,
      output_tokens: 40,
      finish_reasons: ['stop'],
      user_id: 'user-5',
      session_id: 'chat-77',
      feature: 'support-reply',
      ttft_ms: null,
    });
    expect(span.attributes).not.toHaveProperty(['ai.prompt.messages']);
    expect(span.attributes).not.toHaveProperty(['ai.response.text']);
    expect(span.attributes['ai.prompt.format']).toBe('prompt');
  });

  it('reads time to first chunk from the doStream span', () => {
    expect(bySpanId(result, '3000000000000003')).toMatchObject({ ttft_ms: 412.5, input_tokens: 120, output_tokens: 64 });
  });
});

describe('Vercel AI SDK v5', () => {
  const result = mapFixture('vercel-ai-v5.json');

  it('skips the ai.streamText wrapper', () => {
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toBe(1);
    expectValidSpans(result);
  });

  it('maps ai.usage.* input, output, cached and reasoning tokens', () => {
    expect(bySpanId(result, '4000000000000002')).toMatchObject({
      provider: 'openai',
      request_model: 'gpt-5-mini',
      model: 'gpt-5-mini-2025-08-07',
      input_tokens: 1850,
      output_tokens: 420,
      cache_read_tokens: 1536,
      reasoning_tokens: 256,
      ttft_ms: 812.25,
      user_id: 'user-9',
      session_id: 'thread-3',
    });
  });

  it('adds cache reads to an Anthropic input count that excludes them (12 uncached + 4096 cached)', () => {
    expect(bySpanId(result, '4000000000000003')).toMatchObject({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      input_tokens: 4108,
      cache_read_tokens: 4096,
      output_tokens: 230,
    });
  });
});

describe('Langfuse', () => {
  const result = mapFixture('langfuse.json');

  it('skips the plain span and maps both generations', () => {
    expect(result.rejected).toEqual([]);
    expect(result.skipped).toBe(1);
    expectValidSpans(result);
  });

  it('sums the disjoint usage details of an Anthropic generation (150 + 2000 + 100 input)', () => {
    const span = bySpanId(result, '5000000000000002');
    expect(span).toMatchObject({
      provider: '',
      model: 'claude-3-5-haiku-20241022',
      input_tokens: 2250,
      output_tokens: 60,
      cache_read_tokens: 2000,
      cache_write_tokens: 100,
      prompt_id: 'rag-answer',
      prompt_version: '4',
      user_id: 'user-lf-1',
      session_id: 'sess-lf-1',
      // Completion started at .523 s, the span at .123456789 s.
      ttft_ms: 399.543,
    });
    expect(span.attributes).not.toHaveProperty(['langfuse.observation.input']);
    expect(span.attributes).not.toHaveProperty(['langfuse.observation.output']);
  });

  it('sums cached input and reasoning output of an OpenAI generation', () => {
    expect(bySpanId(result, '5000000000000003')).toMatchObject({
      model: 'o4-mini-2025-04-16',
      input_tokens: 2000,
      cache_read_tokens: 1200,
      output_tokens: 214,
      reasoning_tokens: 64,
    });
  });
});
