import { describe, expect, it } from 'vitest';
import {
  anthropicMessage,
  googleGenerateContentResponse,
  openAiChatCompletion,
  openAiResponse,
  vercelV4Result,
  vercelV5AnthropicResult,
  vercelV5OpenAiResult,
  vercelV6Result,
} from './fixtures/sdk-responses';
import { readResponse } from './response-reading';

describe('readResponse reads each SDK response into GenAI convention counts', () => {
  it('OpenAI chat completion: prompt tokens already include the cached ones', () => {
    expect(readResponse(openAiChatCompletion)).toEqual({
      provider: 'openai',
      responseModel: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT',
      finishReasons: ['stop'],
      usage: { inputTokens: 1000, outputTokens: 200, cacheReadInputTokens: 400, reasoningOutputTokens: 64 },
    });
  });

  it('OpenAI Responses API', () => {
    expect(readResponse(openAiResponse)).toEqual({
      provider: 'openai',
      responseModel: 'gpt-4.1-2025-04-14',
      responseId: 'resp_67ccd2bed1ec8190b14f964abc0542670bb6a6b452d3795b',
      finishReasons: ['completed'],
      usage: { inputTokens: 3600, outputTokens: 870, cacheReadInputTokens: 2048, reasoningOutputTokens: 512 },
    });
    const incomplete = { ...openAiResponse, status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
    expect(readResponse(incomplete).finishReasons).toEqual(['max_output_tokens']);
  });

  it('Anthropic message: input is uncached + cache read + cache write = 1500 + 1000 + 500', () => {
    expect(readResponse(anthropicMessage)).toEqual({
      provider: 'anthropic',
      responseModel: 'claude-sonnet-4-20250514',
      responseId: 'msg_013Zva2CMHLNnXjNJJKqJ2EF',
      finishReasons: ['end_turn'],
      usage: { inputTokens: 3000, outputTokens: 300, cacheReadInputTokens: 1000, cacheCreationInputTokens: 500 },
    });
  });

  it('Google GenAI: thinking tokens are output, 150 + 100', () => {
    expect(readResponse(googleGenerateContentResponse)).toEqual({
      provider: 'gcp.gen_ai',
      responseModel: 'gemini-2.5-flash',
      responseId: 'mWqRaLmVB8ao1dkP2tC6wQo',
      finishReasons: ['STOP'],
      usage: { inputTokens: 2000, outputTokens: 250, cacheReadInputTokens: 1500, reasoningOutputTokens: 100 },
    });
  });

  it('Vercel AI SDK 5: the usage of all steps, provider from the provider metadata', () => {
    expect(readResponse(vercelV5OpenAiResult)).toEqual({
      provider: 'openai',
      responseModel: 'gpt-4o-mini-2024-07-18',
      responseId: 'chatcmpl-BQ2rN8Lvfd4pCqOAAzhsyCc3cS8cj',
      finishReasons: ['stop'],
      usage: { inputTokens: 1200, outputTokens: 150, cacheReadInputTokens: 512, reasoningOutputTokens: 0 },
    });
  });

  it('Vercel AI SDK 5 with Anthropic: cache tokens added to the passed-through input, 1500 + 1000 + 500', () => {
    expect(readResponse(vercelV5AnthropicResult).usage).toEqual({
      inputTokens: 3000,
      outputTokens: 300,
      cacheReadInputTokens: 1000,
      cacheCreationInputTokens: 500,
    });
  });

  it('Vercel AI SDK 6: totals taken as they are, details as cache and reasoning', () => {
    expect(readResponse(vercelV6Result)).toMatchObject({
      provider: 'anthropic',
      responseModel: 'claude-sonnet-4-20250514',
      finishReasons: ['length'],
      usage: { inputTokens: 3000, outputTokens: 300, cacheReadInputTokens: 1000, cacheCreationInputTokens: 500, reasoningOutputTokens: 100 },
    });
  });

  it('Vercel AI SDK 4: prompt and completion tokens', () => {
    expect(readResponse(vercelV4Result).usage).toEqual({ inputTokens: 90, outputTokens: 12 });
  });

  it('OpenAI embeddings: input tokens only', () => {
    const embeddings = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.0023, -0.0093] }], model: 'text-embedding-3-small', usage: { prompt_tokens: 8, total_tokens: 8 } };
    expect(readResponse(embeddings)).toMatchObject({ responseModel: 'text-embedding-3-small', usage: { inputTokens: 8, outputTokens: undefined } });
  });

  it("the data of `.withResponse()`", () => {
    const withResponse = { data: anthropicMessage, response: new Response(null), request_id: 'req_018EeWyXxfu5pfWkrYcMdjWG' };
    expect(readResponse(withResponse)).toEqual(readResponse(anthropicMessage));
  });

  it('anything else reads as nothing', () => {
    for (const value of [undefined, null, 'text', 42, {}, { usage: null }, { data: [] }]) expect(readResponse(value)).toEqual({});
  });
});
