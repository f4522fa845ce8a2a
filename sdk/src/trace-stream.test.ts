import { SpanStatusCode } from '@opentelemetry/api';
import { beforeEach, describe, expect, it } from 'vitest';
import { anthropicStreamEvents, googleStreamChunks, openAiChatChunks, openAiResponseEvents } from './fixtures/sdk-responses';
import { inMemoryTracing } from './fixtures/tracing';
import { traceLlmCall } from './index';

const { provider, exporter, spans } = inMemoryTracing();
const tracer = provider.getTracer('app');

/** Shaped like the OpenAI and Anthropic SDKs' `Stream`: a class with a controller, iterable once. */
class FakeStream<T> {
  readonly controller = new AbortController();
  constructor(private readonly chunks: T[], private readonly failAfter?: number) {}
  async *[Symbol.asyncIterator](): AsyncGenerator<T> {
    for (const [index, chunk] of this.chunks.entries()) {
      if (index === this.failAfter) throw new Error('stream reset by peer');
      await new Promise((resolve) => setTimeout(resolve, 1));
      yield chunk;
    }
  }
}

const readAll = async (stream: AsyncIterable<unknown>): Promise<unknown[]> => {
  const read: unknown[] = [];
  for await (const chunk of stream) read.push(chunk);
  return read;
};

beforeEach(() => exporter.reset());

describe('a streamed response', () => {
  it('OpenAI chat: the span stays open until the stream is read, then carries the final chunk usage', async () => {
    const chunks = openAiChatChunks();
    const stream = await traceLlmCall({ tracer, promptId: 'chat' }, { model: 'gpt-4o-mini', stream: true, stream_options: { include_usage: true } }, async () => new FakeStream(chunks));
    expect(stream).toBeInstanceOf(FakeStream);
    expect(stream.controller).toBeInstanceOf(AbortController);
    expect(spans()).toHaveLength(0);
    expect(await readAll(stream)).toEqual(chunks);
    expect(spans()).toHaveLength(1);
    expect(spans()[0]!.name).toBe('chat gpt-4o-mini');
    expect(spans()[0]!.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-stream-1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 10_000,
      'gen_ai.usage.output_tokens': 1000,
      'gen_ai.usage.cache_read.input_tokens': 0,
      'spanlens.prompt.id': 'chat',
    });
  });

  it('Anthropic: input from message_start (1500 + 1000 + 500), output and stop reason from message_delta', async () => {
    const stream = await traceLlmCall({ tracer, model: 'claude-sonnet-4-20250514' }, async () => new FakeStream(anthropicStreamEvents()));
    await readAll(stream);
    expect(spans()[0]!.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.response.id': 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
      'gen_ai.response.finish_reasons': ['end_turn'],
      'gen_ai.usage.input_tokens': 3000,
      'gen_ai.usage.cache_read.input_tokens': 1000,
      'gen_ai.usage.cache_creation.input_tokens': 500,
      'gen_ai.usage.output_tokens': 300,
    });
  });

  it('OpenAI Responses: the usage of response.completed', async () => {
    await readAll(await traceLlmCall({ tracer }, async () => new FakeStream(openAiResponseEvents())));
    expect(spans()[0]!.name).toBe('chat gpt-4.1-2025-04-14');
    expect(spans()[0]!.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['completed'],
      'gen_ai.usage.input_tokens': 3600,
      'gen_ai.usage.output_tokens': 870,
      'gen_ai.usage.reasoning.output_tokens': 512,
    });
  });

  it('Google GenAI: the last running total (output 150 + 100 thoughts)', async () => {
    const generator = async function* () {
      yield* googleStreamChunks();
    };
    await readAll(await traceLlmCall({ tracer, operation: 'generate_content', model: 'gemini-2.5-flash' }, async () => generator()));
    expect(spans()[0]!.name).toBe('generate_content gemini-2.5-flash');
    expect(spans()[0]!.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.gen_ai',
      'gen_ai.response.finish_reasons': ['STOP'],
      'gen_ai.usage.input_tokens': 2000,
      'gen_ai.usage.output_tokens': 250,
      'gen_ai.usage.cache_read.input_tokens': 1500,
    });
  });

  it('a reader that stops early ends the span with what it read', async () => {
    const stream = await traceLlmCall({ tracer, model: 'claude-sonnet-4-20250514' }, async () => new FakeStream(anthropicStreamEvents()));
    for await (const event of stream) {
      if ((event as { type: string }).type === 'content_block_start') break;
    }
    expect(spans()).toHaveLength(1);
    expect(spans()[0]!.status.code).toBe(SpanStatusCode.UNSET);
    expect(spans()[0]!.attributes['gen_ai.usage.input_tokens']).toBe(3000);
    expect(spans()[0]!.attributes['gen_ai.usage.output_tokens']).toBe(1);
  });

  it('a stream that fails ends the span with the error, which reaches the reader unchanged', async () => {
    const stream = await traceLlmCall({ tracer, model: 'gpt-4o-mini' }, async () => new FakeStream(openAiChatChunks(), 2));
    await expect(readAll(stream)).rejects.toThrow('stream reset by peer');
    expect(spans()).toHaveLength(1);
    expect(spans()[0]!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'stream reset by peer' });
    expect(spans()[0]!.attributes['error.type']).toBe('Error');
  });
});
