import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { context, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { anthropicMessage, openAiChatCompletion, vercelV5OpenAiResult } from './fixtures/sdk-responses';
import { inMemoryTracing, lineOfMarker } from './fixtures/tracing';
import { SDK_NAME, SDK_VERSION, traceLlmCall } from './index';

const thisFile = fileURLToPath(import.meta.url);
const { provider, exporter, spans } = inMemoryTracing();
const tracer = provider.getTracer('app');

/** Stands in for `openai.chat.completions.create`: resolves later, like a network call. */
const fakeCreate = async <T>(response: T): Promise<T> => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return response;
};

const onlySpan = () => {
  expect(spans()).toHaveLength(1);
  return spans()[0]!;
};

/** The call site the span must carry: this file, and the line holding `@site:<marker>`, found in the file's text. */
const siteOf = (marker: string, functionName?: string) => ({
  'code.file.path': thisFile,
  'code.line.number': lineOfMarker(thisFile, `@site:${marker}`),
  'code.function.name': functionName,
});
const codeOf = (attributes: Record<string, unknown>) => ({
  'code.file.path': attributes['code.file.path'],
  'code.line.number': attributes['code.line.number'],
  'code.function.name': attributes['code.function.name'],
});

// The context manager a Node SDK registers, so that the active span follows the awaits.
beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
afterAll(() => context.disable());
beforeEach(() => exporter.reset());

describe('traceLlmCall around a completed call', () => {
  it('makes a CLIENT span "chat {model}" with the GenAI, prompt and attribution attributes, and returns the response unchanged', async () => {
    const messages = [{ role: 'user', content: 'Where is my order?' }];
    const reply = await traceLlmCall(
      { tracer, promptId: 'support-reply', promptVersion: 3, feature: 'support', userId: 'u-42', conversationId: 'conv-7' },
      { model: 'gpt-4o', messages, max_tokens: 512, temperature: 0.2 },
      (request) => fakeCreate(openAiChatCompletion),
    );
    expect(reply).toBe(openAiChatCompletion);
    const span = onlySpan();
    expect(span.name).toBe('chat gpt-4o');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.instrumentationScope.name).toBe('app');
    const { 'code.file.path': _file, 'code.line.number': _line, 'code.function.name': _function, ...rest } = span.attributes;
    expect(rest).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.request.max_tokens': 512,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.response.id': 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.usage.cache_read.input_tokens': 400,
      'gen_ai.usage.reasoning.output_tokens': 64,
      'spanlens.prompt.id': 'support-reply',
      'spanlens.prompt.version': '3',
      'spanlens.feature': 'support',
      'user.id': 'u-42',
      'gen_ai.conversation.id': 'conv-7',
    });
  });

  it('Anthropic: input tokens are the total, cache reads and writes included (1500 + 1000 + 500)', async () => {
    await traceLlmCall({ tracer, model: 'claude-sonnet-4-20250514' }, () => fakeCreate(anthropicMessage));
    expect(onlySpan().attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.usage.input_tokens': 3000,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.usage.cache_creation.input_tokens': 500,
      'gen_ai.usage.output_tokens': 300,
      'gen_ai.response.finish_reasons': ['end_turn'],
    });
  });

  it('without a request model the span is named after the model that answered; a given provider wins over the guess', async () => {
    await traceLlmCall({ tracer, provider: 'azure.ai.openai' }, () => fakeCreate(openAiChatCompletion));
    const span = onlySpan();
    expect(span.name).toBe('chat gpt-4o-2024-08-06');
    expect(span.attributes['gen_ai.request.model']).toBeUndefined();
    expect(span.attributes['gen_ai.provider.name']).toBe('azure.ai.openai');
  });

  it('reads model and provider from a Vercel AI SDK model object', async () => {
    const model = { specificationVersion: 'v2', provider: 'openai.chat', modelId: 'gpt-4o-mini' };
    await traceLlmCall({ tracer, operation: 'chat' }, { model, prompt: 'Hi' }, () => fakeCreate(vercelV5OpenAiResult));
    expect(onlySpan().name).toBe('chat gpt-4o-mini');
    expect(onlySpan().attributes).toMatchObject({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1200 });
  });

  it('a response that cannot be read is still returned, and the span still ends', async () => {
    const odd = {
      get usage(): never {
        throw new Error('not loaded');
      },
    };
    await expect(traceLlmCall({ tracer, model: 'gpt-4o' }, () => fakeCreate(odd))).resolves.toBe(odd);
    expect(onlySpan().status.code).toBe(SpanStatusCode.UNSET);
  });

  it('runs the call with its span active, so spans made inside are its children', async () => {
    let active: Span | undefined;
    await traceLlmCall({ tracer, model: 'gpt-4o' }, async (span) => {
      await Promise.resolve();
      active = trace.getActiveSpan();
      expect(active).toBe(span);
      tracer.startSpan('POST /v1/chat/completions').end();
      return openAiChatCompletion;
    });
    const [http, llm] = spans();
    expect(llm!.name).toBe('chat gpt-4o');
    expect(http!.parentSpanContext?.spanId).toBe(llm!.spanContext().spanId);
  });
});

class SupportBot {
  async reply(): Promise<unknown> {
    await fakeCreate(null);
    return traceLlmCall({ tracer, model: 'gpt-4o' }, () => fakeCreate(openAiChatCompletion)); // @site:method
  }
}

async function answerQuestion(): Promise<unknown> {
  return traceLlmCall({ tracer, model: 'gpt-4o' }, () => fakeCreate(openAiChatCompletion)); // @site:named
}

describe('the call site is the line that calls traceLlmCall', () => {
  it('in a named function', async () => {
    await answerQuestion();
    expect(codeOf(onlySpan().attributes)).toEqual(siteOf('named', 'answerQuestion'));
  });

  it('in a class method, after an await', async () => {
    await new SupportBot().reply();
    expect(codeOf(onlySpan().attributes)).toEqual(siteOf('method', 'SupportBot.reply'));
  });

  it('in an anonymous arrow function: no function name', async () => {
    await traceLlmCall({ tracer, model: 'gpt-4o' }, () => fakeCreate(openAiChatCompletion)); // @site:arrow
    expect(codeOf(onlySpan().attributes)).toEqual(siteOf('arrow'));
  });

  it('a given call site wins; false leaves the code attributes out', async () => {
    await traceLlmCall({ tracer, callSite: { filePath: 'src/chat.ts', lineNumber: 9 } }, () => fakeCreate(openAiChatCompletion));
    expect(codeOf(onlySpan().attributes)).toEqual({ 'code.file.path': 'src/chat.ts', 'code.line.number': 9, 'code.function.name': undefined });
    exporter.reset();
    await traceLlmCall({ tracer, callSite: false }, () => fakeCreate(openAiChatCompletion));
    expect(codeOf(onlySpan().attributes)).toEqual({ 'code.file.path': undefined, 'code.line.number': undefined, 'code.function.name': undefined });
  });
});

class RateLimitError extends Error {
  readonly status = 429;
}

describe('a failed call', () => {
  it('records the exception, status ERROR and error.type, and rethrows the same error', async () => {
    const failure = new RateLimitError('429 Rate limit reached for gpt-4o');
    const call = traceLlmCall({ tracer, model: 'gpt-4o', promptId: 'support-reply' }, async () => {
      await fakeCreate(null);
      throw failure;
    });
    await expect(call).rejects.toBe(failure);
    const span = onlySpan();
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: '429 Rate limit reached for gpt-4o' });
    expect(span.attributes['error.type']).toBe('RateLimitError');
    expect(span.attributes['spanlens.prompt.id']).toBe('support-reply');
    expect(span.events.map((event) => [event.name, event.attributes?.['exception.message']])).toEqual([['exception', '429 Rate limit reached for gpt-4o']]);
  });

  it('a call that throws synchronously rejects with that error; a thrown non-error is _OTHER', async () => {
    await expect(traceLlmCall({ tracer }, () => { throw new TypeError('bad messages'); })).rejects.toThrow(TypeError);
    expect(onlySpan().attributes['error.type']).toBe('TypeError');
    exporter.reset();
    await expect(traceLlmCall({ tracer }, () => Promise.reject('nope'))).rejects.toBe('nope');
    expect(onlySpan().attributes['error.type']).toBe('_OTHER');
  });
});

describe('the global tracer', () => {
  it('with no SDK registered the call runs on a non-recording span, without reading the stack', async () => {
    const capture = vi.spyOn(Error, 'captureStackTrace');
    let recording: boolean | undefined;
    const reply = await traceLlmCall({ promptId: 'p' }, (span) => {
      recording = span.isRecording();
      return fakeCreate(openAiChatCompletion);
    });
    expect(reply).toBe(openAiChatCompletion);
    expect(recording).toBe(false);
    expect(capture).not.toHaveBeenCalled();
    capture.mockRestore();
  });

  describe('once an SDK is registered', () => {
    beforeAll(() => trace.setGlobalTracerProvider(provider));
    afterAll(() => trace.disable());

    it("uses the tracer '@spanlens/sdk' at the package's version", async () => {
      await traceLlmCall({ model: 'gpt-4o' }, () => fakeCreate(openAiChatCompletion));
      const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
      expect(onlySpan().instrumentationScope).toMatchObject({ name: packageJson.name, version: packageJson.version });
      expect([SDK_NAME, SDK_VERSION]).toEqual([packageJson.name, packageJson.version]);
    });
  });
});
