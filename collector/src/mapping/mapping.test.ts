import { describe, expect, it } from 'vitest';
import { attr, defaultMapping, jsonRequest, jsonSpan, mapJson, type JsonAttributeValue } from './fixtures/otlp-json';
import { isContentAttribute } from './stored-attributes';

const TRACE = '5b8efff798038103d269b633813fc60c';

function llmAttributes(extra: Record<string, JsonAttributeValue> = {}): Record<string, JsonAttributeValue> {
  return {
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': 100,
    'gen_ai.usage.output_tokens': 20,
    ...extra,
  };
}

function mapOne(extra: Record<string, JsonAttributeValue>, resource?: Record<string, JsonAttributeValue>) {
  const result = mapJson(jsonRequest([jsonSpan({ attributes: llmAttributes(extra) })], resource));
  expect(result.rejected).toEqual([]);
  const span = result.spans[0];
  if (!span) throw new Error('not mapped');
  return span;
}

describe('rejected spans', () => {
  it('rejects bad token counts with the reason and attribute, and maps the other spans of the request', () => {
    const result = mapJson(
      jsonRequest([
        jsonSpan({ spanId: 'aaaaaaaaaaaaaaa1', attributes: llmAttributes() }),
        jsonSpan({ spanId: 'aaaaaaaaaaaaaaa2', attributes: llmAttributes({ 'gen_ai.usage.input_tokens': -5 }) }),
        jsonSpan({ spanId: 'aaaaaaaaaaaaaaa3', attributes: llmAttributes({ 'gen_ai.usage.output_tokens': 'abc' }) }),
        jsonSpan({ spanId: 'aaaaaaaaaaaaaaa4', attributes: llmAttributes({ 'gen_ai.usage.input_tokens': '42' }) }),
      ]),
    );
    expect(result.spans.map((s) => s.span_id)).toEqual(['aaaaaaaaaaaaaaa1', 'aaaaaaaaaaaaaaa4']);
    expect(result.spans[1]?.input_tokens).toBe(42);
    expect(result.rejected).toEqual([
      { reason: 'invalid_tokens', message: `span 1 (trace ${TRACE}): gen_ai.usage.input_tokens is -5` },
      { reason: 'invalid_tokens', message: `span 2 (trace ${TRACE}): gen_ai.usage.output_tokens is "abc", not a number` },
    ]);
  });

  it.each<[string, JsonAttributeValue]>([
    ['NaN', { doubleValue: 'NaN' }],
    ['a fraction', 1.5],
    ['more than 1e12', { intValue: '1000000000001' }],
    ['a negative string', '-3'],
    ['a boolean', true],
  ])('rejects a token count that is %s', (_label, value) => {
    const result = mapJson(jsonRequest([jsonSpan({ attributes: llmAttributes({ 'llm.token_count.completion': value, 'gen_ai.usage.output_tokens': value }) })]));
    expect(result.spans).toEqual([]);
    expect(result.rejected[0]?.reason).toBe('invalid_tokens');
    expect(result.rejected[0]?.message).toContain('gen_ai.usage.output_tokens');
  });

  it('keeps the first attributes of a span past the limit, drops the rest and counts them', () => {
    const llm = Object.entries(llmAttributes()).map(([k, v]) => attr(k, v));
    const many = Array.from({ length: 10_000 }, (_, i) => attr(`custom.attribute.${i}`, i));
    const result = mapJson(
      jsonRequest([
        jsonSpan({ spanId: 'bbbbbbbbbbbbbbb1', attributes: [...llm, ...many] }),
        jsonSpan({ spanId: 'bbbbbbbbbbbbbbb2', attributes: llmAttributes() }),
      ]),
    );
    expect(result.spans.map((s) => s.span_id)).toEqual(['bbbbbbbbbbbbbbb1', 'bbbbbbbbbbbbbbb2']);
    expect(result.rejected).toEqual([]);
    // 1000 kept: the LLM attributes first, then custom.attribute.0 … custom.attribute.(999 - llm.length).
    const lastKept = 1000 - llm.length - 1;
    expect(result.spans[0]?.attributes[`custom.attribute.${lastKept}`]).toBe(String(lastKept));
    expect(result.spans[0]?.attributes[`custom.attribute.${lastKept + 1}`]).toBeUndefined();
    expect(result.spans[0]?.input_tokens).toBe(result.spans[1]?.input_tokens);
    expect(result.tally.droppedAttributes).toBe(llm.length + 10_000 - 1000);
  });

  it.each([
    ['a short trace id', { traceId: 'abcd' }, 'trace id "abcd" is not 16 bytes of hex'],
    ['an all-zero trace id', { traceId: '0'.repeat(32) }, 'trace id is all zeros'],
    ['a 4-byte span id', { spanId: '01020304' }, 'span id "01020304" is not 8 bytes of hex'],
    ['a missing span id', { spanId: '' }, 'span id is missing'],
    ['a non-hex parent id', { parentSpanId: 'zz' }, 'parent span id "zz" is not 8 bytes of hex'],
  ])('rejects %s as invalid_ids', (_label, ids, problem) => {
    const result = mapJson(jsonRequest([jsonSpan({ ...ids, attributes: llmAttributes() })]));
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.reason).toBe('invalid_ids');
    expect(result.rejected[0]?.message).toContain(problem);
  });

  it.each([
    ['a zero start', { start: '0', end: '1718035201000000000' }, 'start time is 0'],
    ['an end before the start', { start: '1718035201000000000', end: '1718035200000000000' }, 'end time 1718035200000000000 is before start time 1718035201000000000'],
    // Milliseconds sent as nanoseconds: 1970, which ClickHouse's DateTime64 text form refuses.
    ['a start in milliseconds', { start: '1718035200000', end: '1718035201000000000' }, 'start time 1718035200000 ns is before 2001-09-09 (1000000000000000000): not nanoseconds since the Unix epoch?'],
    ['an end past what DateTime64(9) holds', { start: '1718035200000000000', end: '18446744073709551615' }, 'end time 18446744073709551615 ns is after 2262-04-11, the last time stored (9223372036854775807)'],
  ])('rejects %s as invalid_timestamps', (_label, times, problem) => {
    const result = mapJson(jsonRequest([jsonSpan({ ...times, attributes: llmAttributes() })]));
    expect(result.rejected).toEqual([{ reason: 'invalid_timestamps', message: `span 0 (trace ${TRACE}): ${problem}` }]);
  });

  it('rejects an unparsable Langfuse usage_details', () => {
    const result = mapJson(jsonRequest([jsonSpan({ attributes: { 'langfuse.observation.model.name': 'gpt-4o', 'langfuse.observation.usage_details': '{"input": -1}' } })]));
    expect(result.rejected[0]).toMatchObject({ reason: 'invalid_tokens', message: expect.stringContaining('langfuse.observation.usage_details.input is -1') });
  });
});

describe('skipped spans', () => {
  it('skips spans without an LLM model or usage, whatever else they carry', () => {
    const result = mapJson(
      jsonRequest([
        jsonSpan({ name: 'GET /orders', attributes: { 'http.request.method': 'GET', 'user.id': 'u1' } }),
        jsonSpan({ name: 'SELECT orders', attributes: { 'db.system.name': 'postgresql' }, traceId: 'not-even-hex' }),
      ]),
    );
    expect(result).toEqual({ spans: [], rejected: [], skipped: 2, evaluations: [], tally: { droppedAttributes: 0, truncatedValues: 0 } });
  });

  it('skips in-process agent and tool spans, whose model calls have spans of their own, but maps a remote agent call', () => {
    const agent = { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 900, 'gen_ai.usage.output_tokens': 90 };
    const result = mapJson(
      jsonRequest([
        { ...jsonSpan({ spanId: 'ccccccccccccccc1', attributes: { ...agent, 'gen_ai.operation.name': 'invoke_agent' } }), kind: 1 },
        { ...jsonSpan({ spanId: 'ccccccccccccccc2', attributes: { 'gen_ai.request.model': 'gpt-4o', 'gen_ai.operation.name': 'execute_tool' } }), kind: 1 },
        { ...jsonSpan({ spanId: 'ccccccccccccccc3', attributes: { ...agent, 'gen_ai.operation.name': 'invoke_agent' } }), kind: 3 },
      ]),
    );
    expect(result.skipped).toBe(2);
    expect(result.spans.map((s) => [s.span_id, s.operation, s.input_tokens])).toEqual([['ccccccccccccccc3', 'invoke_agent', 900]]);
  });
});

describe('token semantics', () => {
  it('trusts an input count that can include the cache tokens', () => {
    expect(mapOne({ 'gen_ai.usage.input_tokens': 3000, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_creation.input_tokens': 500 })).toMatchObject({
      input_tokens: 3000,
      cache_read_tokens: 2000,
      cache_write_tokens: 500,
    });
  });

  it('adds cache tokens to an input count smaller than them (Anthropic-style uncached input)', () => {
    expect(
      mapOne({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.cache_read.input_tokens': 2000, 'gen_ai.usage.cache_creation.input_tokens': 300 }),
    ).toMatchObject({ provider: 'anthropic', input_tokens: 2350, cache_read_tokens: 2000, cache_write_tokens: 300 });
  });

  it('derives input tokens from a total when only the total is reported', () => {
    expect(mapOne({ 'gen_ai.usage.input_tokens': '', 'gen_ai.usage.output_tokens': '', 'llm.usage.total_tokens': 42 })).toMatchObject({ input_tokens: 42, output_tokens: 0 });
  });

  it('uses the first dialect present: current names before deprecated ones', () => {
    expect(mapOne({ 'gen_ai.usage.prompt_tokens': 999, 'llm.token_count.prompt': 777 }).input_tokens).toBe(100);
  });
});

describe('providers', () => {
  it.each([
    ['gcp.vertex_ai', 'google'],
    ['gcp.gemini', 'google'],
    ['google.generative-ai', 'google'],
    ['aws.bedrock', 'aws'],
    ['azure.ai.openai', 'azure'],
    ['mistral_ai', 'mistral'],
    ['x_ai', 'x-ai'],
    ['xai.chat', 'x-ai'],
    ['OpenAI', 'openai'],
    ['ibm.watsonx.ai', 'ibm.watsonx.ai'],
    ['My-Local-Llama', 'my-local-llama'],
  ])('normalises %s to %s', (raw, expected) => {
    expect(mapOne({ 'gen_ai.provider.name': raw }).provider).toBe(expected);
  });
});

describe('attribution', () => {
  it('prefers span attributes to resource attributes, and feature keys in configured order', () => {
    const span = mapOne({ feature: 'from-span-feature-key', 'app.feature': 'second-key' }, { 'service.name': 'svc', 'spanlens.feature': 'from-resource', 'user.id': 'resource-user' });
    expect(span).toMatchObject({ feature: 'from-span-feature-key', user_id: 'resource-user', service_name: 'svc' });
  });

  it('reads the configured feature keys', () => {
    const result = mapJson(jsonRequest([jsonSpan({ attributes: llmAttributes({ 'team.product_area': 'billing' }) })]), {
      ...defaultMapping,
      feature_keys: ['team.product_area'],
    });
    expect(result.spans[0]?.feature).toBe('billing');
  });

  it('maps an error status without error.type to the status message', () => {
    const result = mapJson(jsonRequest([jsonSpan({ attributes: llmAttributes(), status: { code: 2, message: 'rate limited' } })]));
    expect(result.spans[0]).toMatchObject({ is_error: true, error_type: 'rate limited' });
  });
});

describe('time to first token', () => {
  it('reads gen_ai.server.time_to_first_token in seconds', () => {
    expect(mapOne({ 'gen_ai.server.time_to_first_token': 0.25 }).ttft_ms).toBe(250);
  });

  it('falls back to the time of the ai.stream.firstChunk event', () => {
    const span = { ...jsonSpan({ start: '1718035200000000000', attributes: llmAttributes() }), events: [{ name: 'ai.stream.firstChunk', timeUnixNano: '1718035200321654987', attributes: [] }] };
    expect(mapJson(jsonRequest([span])).spans[0]?.ttft_ms).toBe(321.655);
  });

  it('drops a negative value instead of rejecting the span', () => {
    expect(mapOne({ 'ai.response.msToFirstChunk': -4 }).ttft_ms).toBeNull();
  });
});

describe('stored attributes', () => {
  it('truncates long values and keeps ints beyond 2^53 exact', () => {
    const span = mapJson(
      jsonRequest([jsonSpan({ attributes: [...Object.entries(llmAttributes()).map(([k, v]) => attr(k, v)), attr('long', 'x'.repeat(50)), { key: 'big', value: { intValue: '9007199254740993' } }] })]),
      { ...defaultMapping, max_attribute_value_chars: 20 },
    ).spans[0];
    expect(span?.attributes['long']).toBe('x'.repeat(20));
    expect(span?.attributes['big']).toBe('9007199254740993');
  });

  it('counts every value it cuts', () => {
    const result = mapJson(
      jsonRequest([jsonSpan({ attributes: [...Object.entries(llmAttributes()).map(([k, v]) => attr(k, v)), attr('long.one', 'x'.repeat(50)), attr('long.two', 'y'.repeat(21)), attr('short', 'z'.repeat(20))] })]),
      { ...defaultMapping, max_attribute_value_chars: 20 },
    );
    expect(result.tally.truncatedValues).toBe(2);
    expect(result.tally.droppedAttributes).toBe(0);
  });

  it('stores a __proto__ key as an ordinary attribute', () => {
    const span = mapJson(jsonRequest([jsonSpan({ attributes: [attr('gen_ai.request.model', 'gpt-4o'), attr('__proto__', 'value')] })])).spans[0];
    expect(span && Object.hasOwn(span.attributes, '__proto__')).toBe(true);
    expect(span?.attributes['__proto__']).toBe('value');
  });

  it('leaves out attributes that have a column of their own and keeps the others', () => {
    const span = mapOne({
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.system': 'openai',
      'user.id': 'u1',
      feature: 'configured-feature-key',
      'code.function.name': 'answer',
      'http.route': '/chat',
      'my.custom': 'kept',
      'gen_ai.request.temperature': 0.2,
    });
    expect(span).toMatchObject({ request_model: 'gpt-4o-mini', model: 'gpt-4o-mini-2024-07-18', user_id: 'u1', feature: 'configured-feature-key' });
    expect(span.attributes).toEqual({ 'http.route': '/chat', 'my.custom': 'kept', 'gen_ai.request.temperature': '0.2' });
    expect(span.attributes).not.toHaveProperty(['gen_ai.request.model']);
  });

  it('matches content keys exactly or continued after a dot, and nothing else', () => {
    expect(isContentAttribute('gen_ai.prompt')).toBe(true);
    expect(isContentAttribute('gen_ai.prompt.0.content')).toBe(true);
    expect(isContentAttribute('gen_ai.tool.call.arguments')).toBe(true);
    expect(isContentAttribute('gen_ai.tool.call.arguments.city')).toBe(true);
    expect(isContentAttribute('ai.prompt')).toBe(true);
    expect(isContentAttribute('ai.prompt.messages')).toBe(true);
    expect(isContentAttribute('ai.prompt.format')).toBe(false);
    expect(isContentAttribute('gen_ai.prompts')).toBe(false);
    expect(isContentAttribute('gen_ai.prompt_template')).toBe(false);
    expect(isContentAttribute('gen_ai')).toBe(false);
    expect(isContentAttribute('x.gen_ai.prompt')).toBe(false);
    expect(isContentAttribute('')).toBe(false);
  });

  it('keeps only resource attributes of the configured prefixes, in one object shared by the resource\'s spans', () => {
    const resource = {
      'service.name': 'svc',
      'service.version': '1.0.0',
      'deployment.environment.name': 'prod',
      'k8s.pod.name': 'pod-1',
      'host.name': 'ip-10-0-0-1',
      'telemetry.sdk.name': 'opentelemetry',
      'process.runtime.version': '20.19.0',
      'os.type': 'linux',
    };
    const result = mapJson(jsonRequest([jsonSpan({ attributes: llmAttributes() }), jsonSpan({ attributes: llmAttributes() })], resource));
    const [first, second] = result.spans;
    expect(first?.resource_attributes).toEqual({
      'service.name': 'svc',
      'service.version': '1.0.0',
      'deployment.environment.name': 'prod',
      'k8s.pod.name': 'pod-1',
      'host.name': 'ip-10-0-0-1',
    });
    expect(second?.resource_attributes).toBe(first?.resource_attributes);
    expect(Object.isFrozen(first?.resource_attributes)).toBe(true);

    const custom = mapJson(jsonRequest([jsonSpan({ attributes: llmAttributes() })], resource), { ...defaultMapping, resource_attribute_prefixes: ['os.', 'process.'] });
    expect(custom.spans[0]?.resource_attributes).toEqual({ 'process.runtime.version': '20.19.0', 'os.type': 'linux' });
    // The service name column does not depend on the prefixes.
    expect(custom.spans[0]?.service_name).toBe('svc');
  });

  it('computes the duration exactly from nanosecond strings', () => {
    const result = mapJson(jsonRequest([jsonSpan({ start: '1718035200000000001', end: '1718035200000000002', attributes: llmAttributes() })]));
    expect(result.spans[0]?.duration_ms).toBe(0.000001);
  });
});
