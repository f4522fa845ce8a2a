import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@spanlens/core';
import { startSpanlens, type RunningSpanlens } from '@spanlens/cli';
import { traceLlmCall } from '@spanlens/sdk';
import { getCosts, usd } from './support/costs';
import { tempDataDir } from './support/spanlens-process';

// List prices per million tokens, as published by the providers:
// gpt-4o $2.50 in / $1.25 cached in / $10 out; gpt-4o-mini $0.15 / $0.60;
// claude-sonnet-4 $3 in / $0.30 cache read / $3.75 cache write / $15 out.
const M = 1_000_000;
const cost = {
  // 1000 prompt tokens of which 400 cached, 200 completion tokens.
  answer: (600 * 2.5 + 400 * 1.25 + 200 * 10) / M, // 0.004
  // Anthropic reports 1500 uncached input, 1000 cache read, 500 cache write, 300 output.
  rank: (1500 * 3 + 1000 * 0.3 + 500 * 3.75 + 300 * 15) / M, // 0.011175
  // A stream: 10,000 prompt tokens, 1000 completion tokens in its last chunk.
  digest: (10_000 * 0.15 + 1000 * 0.6) / M, // 0.0021
};

// Responses shaped like the OpenAI and Anthropic SDKs' (trimmed to the fields that matter here).
const chatCompletion = {
  id: 'chatcmpl-e2e',
  object: 'chat.completion',
  created: 1741569952,
  model: 'gpt-4o-2024-08-06',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Tomorrow.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
  usage: { prompt_tokens: 1000, completion_tokens: 200, total_tokens: 1200, prompt_tokens_details: { cached_tokens: 400 }, completion_tokens_details: { reasoning_tokens: 0 } },
};
const anthropicMessage = {
  id: 'msg_e2e',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-4-20250514',
  content: [{ type: 'text', text: '1, 3, 2' }],
  stop_reason: 'end_turn',
  stop_sequence: null,
  usage: { input_tokens: 1500, cache_creation_input_tokens: 500, cache_read_input_tokens: 1000, output_tokens: 300 },
};
async function* digestStream() {
  const chunk = (choices: unknown[], usage: unknown = null) => ({ id: 'chatcmpl-e2e-stream', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini-2024-07-18', choices, usage });
  yield chunk([{ index: 0, delta: { role: 'assistant', content: 'Digest' }, logprobs: null, finish_reason: null }]);
  yield chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }]);
  yield chunk([], { prompt_tokens: 10_000, completion_tokens: 1000, total_tokens: 11_000 });
}

const later = <T>(value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), 1));

// The application: three call sites, each one line.
async function answer(tracer: Tracer, userId: string) {
  return traceLlmCall({ tracer, promptId: 'support', promptVersion: 3, feature: 'chat', userId }, { model: 'gpt-4o', messages: [] }, () => later(chatCompletion)); // @site:answer
}
class SearchService {
  async rank(tracer: Tracer) {
    return traceLlmCall({ tracer, promptId: 'rank', promptVersion: '1', feature: 'search' }, () => later(anthropicMessage)); // @site:rank
  }
}
const digest = async (tracer: Tracer) => {
  const stream = await traceLlmCall({ tracer, promptId: 'digest', feature: 'digest' }, { model: 'gpt-4o-mini', stream: true }, () => later(digestStream())); // @site:digest
  for await (const _chunk of stream) {
    // The span ends when the application has read the stream.
  }
};

const thisFile = fileURLToPath(import.meta.url);
/** `file:line` of the line holding the marker, from this file's text: what the span's call site must be. */
const siteKey = (marker: string): string => {
  const lines = readFileSync(thisFile, 'utf8').split('\n');
  const found = lines.flatMap((line, index) => (line.includes(`@site:${marker}`) ? [index + 1] : []));
  expect(found).toHaveLength(1);
  return `${thisFile}:${found[0]}`;
};

describe('an app instrumented with @spanlens/sdk exports to a real Spanlens; costs by call site and prompt', () => {
  let spanlens: RunningSpanlens;
  const now = Date.now();
  const range = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 3_600_000).toISOString() };

  beforeAll(async () => {
    const config = loadConfig({ env: { SPANLENS_PORT: '0', SPANLENS_DATA_DIR: tempDataDir() }, cwd: tempDataDir() });
    spanlens = await startSpanlens(config, createLogger({ level: 'silent' }));
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'support-app' }),
      spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${spanlens.url}/v1/traces` }) })],
    });
    const tracer = provider.getTracer('support-app');
    await answer(tracer, 'u1');
    await answer(tracer, 'u2');
    await new SearchService().rank(tracer);
    await digest(tracer);
    await provider.forceFlush();
    await provider.shutdown();
  });
  afterAll(async () => spanlens?.close());

  const total = 2 * cost.answer + cost.rank + cost.digest;
  const expectRows = async (groupBy: string, expected: Array<[string, number, number, number, number]>) => {
    const report = await getCosts(spanlens.url, { group_by: groupBy, ...range });
    expect(usd(report.total_cost_usd)).toBe(usd(total));
    expect(report.rows.map((r) => [r.key, usd(r.cost_usd), r.calls, r.input_tokens, r.output_tokens, r.unpriced_calls])).toEqual(
      expected.map(([key, c, calls, input, output]) => [key, usd(c), calls, input, output, 0]),
    );
  };

  it('groups by call site: the file and exact line of each traceLlmCall', async () => {
    await expectRows('callsite', [
      [siteKey('rank'), cost.rank, 1, 3000, 300],
      [siteKey('answer'), 2 * cost.answer, 2, 2000, 400],
      [siteKey('digest'), cost.digest, 1, 10_000, 1000],
    ]);
  });

  it('groups by prompt id@version', async () => {
    await expectRows('prompt', [
      ['rank@1', cost.rank, 1, 3000, 300],
      ['support@3', 2 * cost.answer, 2, 2000, 400],
      ['digest', cost.digest, 1, 10_000, 1000],
    ]);
  });

  it('the editor annotations name the function of each call site', async () => {
    const response = await fetch(`${spanlens.url}/api/v1/annotations/callsites?${new URLSearchParams(range)}`);
    expect(response.status).toBe(200);
    const report = (await response.json()) as { rows: Array<{ key: string; function?: string }> };
    const functions = Object.fromEntries(report.rows.map((row) => [row.key, row.function ?? null]));
    expect(functions).toEqual({ [siteKey('answer')]: 'answer', [siteKey('rank')]: 'SearchService.rank', [siteKey('digest')]: 'digest' });
  });
});
