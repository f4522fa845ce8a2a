import type { Attributes } from '@opentelemetry/api';
import { countOf, fieldsOf, textOf } from './response-reading.js';

/** What a span can learn from the request before the call is made. */
export interface RequestReading {
  model?: string;
  provider?: string;
  /** `gen_ai.request.*` parameters: max tokens, temperature, top p. */
  attributes: Attributes;
}

/**
 * Reads the model (a string, or a Vercel AI SDK model object with `modelId`
 * and a `provider` like `openai.chat`) and the common sampling parameters of
 * the OpenAI, Anthropic, Google GenAI and Vercel AI SDK request objects.
 */
export function readRequest(value: unknown): RequestReading {
  const request = fieldsOf(value);
  if (!request) return { attributes: {} };
  const modelObject = fieldsOf(request.model);
  const model = textOf(request.model) ?? textOf(modelObject?.modelId);
  const provider = textOf(modelObject?.provider)?.split('.')[0];
  const config = fieldsOf(request.config) ?? fieldsOf(request.generationConfig);
  const attributes: Attributes = {};
  const maxTokens =
    countOf(request.max_tokens) ??
    countOf(request.max_completion_tokens) ??
    countOf(request.max_output_tokens) ??
    countOf(request.maxOutputTokens) ??
    countOf(config?.maxOutputTokens);
  const temperature = numberOf(request.temperature) ?? numberOf(config?.temperature);
  const topP = numberOf(request.top_p) ?? numberOf(request.topP) ?? numberOf(config?.topP);
  if (maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = maxTokens;
  if (temperature !== undefined) attributes['gen_ai.request.temperature'] = temperature;
  if (topP !== undefined) attributes['gen_ai.request.top_p'] = topP;
  return {
    ...(model !== undefined ? { model } : {}),
    ...(provider !== undefined ? { provider } : {}),
    attributes,
  };
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
