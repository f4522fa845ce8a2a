import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@spanlens/core';
import { startSpanlens, type RunningSpanlens } from '@spanlens/cli';
import { getCosts, usd } from './support/costs';
import { exportWithOtelSdk, type LlmCall } from './support/otel-sdk';
import { tempDataDir } from './support/spanlens-process';

// List prices per million tokens, as published by the providers:
// gpt-4o $2.50 in / $1.25 cached in / $10 out; gpt-4o-mini $0.15 / $0.60;
// claude-sonnet-4 $3 in / $0.30 cache read / $3.75 cache write / $15 out.
const M = 1_000_000;
const cost = {
  chatU1: (600 * 2.5 + 400 * 1.25 + 200 * 10) / M, // 0.004
  chatU2: (2000 * 2.5 + 500 * 10) / M, // 0.01
  searchU1: (1500 * 3 + 1000 * 0.3 + 500 * 3.75 + 300 * 15) / M, // 0.011175
  digestU2: (10_000 * 0.15 + 1000 * 0.6) / M, // 0.0021
};

const now = Date.now();
const gen = (attributes: Record<string, string | number | string[]>, offsetMs: number): LlmCall => ({
  name: `chat ${attributes['gen_ai.request.model']}`,
  attributes,
  startMs: now - 10 * 60_000 + offsetMs,
  durationMs: 1200,
});

const protobufCalls: LlmCall[] = [
  gen({ 'gen_ai.provider.name': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.response.model': 'gpt-4o-2024-08-06', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.cache_read.input_tokens': 400, 'gen_ai.usage.output_tokens': 200, 'spanlens.feature': 'chat', 'user.id': 'u1', 'spanlens.prompt.id': 'support', 'spanlens.prompt.version': '3', 'code.file.path': 'src/chat.ts', 'code.line.number': 42, 'code.function.name': 'answer' }, 0),
  gen({ 'gen_ai.provider.name': 'openai', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 2000, 'gen_ai.usage.output_tokens': 500, 'spanlens.feature': 'chat', 'user.id': 'u2', 'spanlens.prompt.id': 'support', 'spanlens.prompt.version': '3', 'code.file.path': 'src/chat.ts', 'code.line.number': 42 }, 1000),
  gen({ 'gen_ai.provider.name': 'anthropic', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'claude-sonnet-4-20250514', 'gen_ai.usage.input_tokens': 3000, 'gen_ai.usage.cache_read.input_tokens': 1000, 'gen_ai.usage.cache_creation.input_tokens': 500, 'gen_ai.usage.output_tokens': 300, 'spanlens.feature': 'search', 'user.id': 'u1', 'spanlens.prompt.id': 'rank', 'spanlens.prompt.version': '1', 'code.file.path': 'app/search.py', 'code.line.number': 7 }, 2000),
  gen({ 'gen_ai.provider.name': 'acme', 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'acme-9', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 10, 'spanlens.feature': 'search', 'user.id': 'u3', 'spanlens.prompt.id': 'rank', 'spanlens.prompt.version': '1', 'code.file.path': 'app/search.py', 'code.line.number': 7 }, 3000),
  // Not an LLM call: counted and skipped, never stored.
  { name: 'GET /health', attributes: { 'http.request.method': 'GET', 'http.route': '/health' }, startMs: now - 60_000, durationMs: 3 },
];
const jsonCalls: LlmCall[] = [
  gen({ 'gen_ai.system': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.prompt_tokens': 10_000, 'gen_ai.usage.completion_tokens': 1000, 'spanlens.feature': 'digest', 'enduser.id': 'u2', 'spanlens.prompt.id': 'digest', 'code.filepath': 'src/digest.ts', 'code.lineno': 5 }, 4000),
];

describe('an OpenTelemetry SDK app sends LLM spans; /api/v1/costs prices them at list prices', () => {
  let spanlens: RunningSpanlens;
  const range = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() };

  beforeAll(async () => {
    const config = loadConfig({ env: { SPANLENS_PORT: '0', SPANLENS_DATA_DIR: tempDataDir() }, cwd: tempDataDir() });
    spanlens = await startSpanlens(config, createLogger({ level: 'silent' }));
    await exportWithOtelSdk({ baseUrl: spanlens.url, encoding: 'protobuf', service: 'shop', calls: protobufCalls });
    await exportWithOtelSdk({ baseUrl: spanlens.url, encoding: 'json', service: 'digest-worker', calls: jsonCalls });
  });
  afterAll(async () => spanlens?.close());

  const total = cost.chatU1 + cost.chatU2 + cost.searchU1 + cost.digestU2;
  const expectRows = async (groupBy: string, expected: Array<[string, number, number, number, number, number]>) => {
    const report = await getCosts(spanlens.url, { group_by: groupBy, ...range });
    expect(report.group_by).toBe(groupBy);
    expect(usd(report.total_cost_usd)).toBe(usd(total));
    expect(report.rows.map((r) => [r.key, usd(r.cost_usd), r.calls, r.input_tokens, r.output_tokens, r.unpriced_calls])).toEqual(
      expected.map(([key, c, ...rest]) => [key, usd(c), ...rest]),
    );
  };

  it('groups by feature', async () => {
    await expectRows('feature', [
      ['chat', cost.chatU1 + cost.chatU2, 2, 3000, 700, 0],
      ['search', cost.searchU1, 2, 3100, 310, 1],
      ['digest', cost.digestU2, 1, 10_000, 1000, 0],
    ]);
  });

  it('groups by user', async () => {
    await expectRows('user', [
      ['u1', cost.chatU1 + cost.searchU1, 2, 4000, 500, 0],
      ['u2', cost.chatU2 + cost.digestU2, 2, 12_000, 1500, 0],
      ['u3', 0, 1, 100, 10, 1],
    ]);
  });

  it('groups by model, the response model when the span names one', async () => {
    await expectRows('model', [
      ['claude-sonnet-4-20250514', cost.searchU1, 1, 3000, 300, 0],
      ['gpt-4o', cost.chatU2, 1, 2000, 500, 0],
      ['gpt-4o-2024-08-06', cost.chatU1, 1, 1000, 200, 0],
      ['gpt-4o-mini', cost.digestU2, 1, 10_000, 1000, 0],
      ['acme-9', 0, 1, 100, 10, 1],
    ]);
  });

  it('groups by prompt id@version', async () => {
    await expectRows('prompt', [
      ['support@3', cost.chatU1 + cost.chatU2, 2, 3000, 700, 0],
      ['rank@1', cost.searchU1, 2, 3100, 310, 1],
      ['digest', cost.digestU2, 1, 10_000, 1000, 0],
    ]);
  });

  it('groups by call site file:line as the span reported it', async () => {
    await expectRows('callsite', [
      ['src/chat.ts:42', cost.chatU1 + cost.chatU2, 2, 3000, 700, 0],
      ['app/search.py:7', cost.searchU1, 2, 3100, 310, 1],
      ['src/digest.ts:5', cost.digestU2, 1, 10_000, 1000, 0],
    ]);
  });

  it('counts received, skipped and unpriced spans in /metrics', async () => {
    const metrics = await (await fetch(`${spanlens.url}/metrics`)).text();
    expect(metrics).toMatch(/^spanlens_spans_received_total 6$/m);
    expect(metrics).toMatch(/^spanlens_spans_accepted_total 5$/m);
    expect(metrics).toMatch(/^spanlens_spans_skipped_total 1$/m);
    expect(metrics).toMatch(/^spanlens_spans_unpriced_total\{provider="acme",model="acme-9"\} 1$/m);
    expect(metrics).toMatch(/^spanlens_ingest_insert_seconds_count [1-9]/m);
  });
});
