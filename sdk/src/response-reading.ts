/**
 * What a span can learn from an LLM SDK's response: the provider, the model
 * that answered, the response id, the finish reasons and the token usage.
 * Pure functions over the plain objects the SDKs return; nothing here imports
 * an LLM SDK, so the shapes are recognised by their fields.
 */

/**
 * Token counts as the OpenTelemetry GenAI conventions define them, which is
 * also what Spanlens prices: `inputTokens` is ALL input, cache reads and cache
 * writes included, and `outputTokens` is all output, reasoning included.
 * Providers that report the parts separately (Anthropic, Google) are summed.
 */
export interface TokenUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheCreationInputTokens?: number;
  reasoningOutputTokens?: number;
}

export interface ResponseReading {
  /** A `gen_ai.provider.name` value, when the shape names one. */
  provider?: string;
  responseModel?: string;
  responseId?: string;
  finishReasons?: string[];
  usage?: TokenUsage;
}

type Fields = Record<string, unknown>;

export function fieldsOf(value: unknown): Fields | undefined {
  return typeof value === 'object' && value !== null ? (value as Fields) : undefined;
}

export function countOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Adds counts of which at least one is known; undefined when none is. */
function sum(...counts: (number | undefined)[]): number | undefined {
  const known = counts.filter((count): count is number => count !== undefined);
  return known.length === 0 ? undefined : known.reduce((total, count) => total + count, 0);
}

function reasons(values: unknown[]): string[] | undefined {
  const found = values.map(textOf).filter((reason): reason is string => reason !== undefined);
  return found.length > 0 ? found : undefined;
}

/** Reads a response of the OpenAI, Anthropic, Google GenAI or Vercel AI SDK; `{}` for anything else. */
export function readResponse(value: unknown): ResponseReading {
  const response = fieldsOf(value);
  if (!response) return {};
  const usage = fieldsOf(response.usage);
  const object = response.object;
  if (object === 'response') return readOpenAiResponses(response);
  if (object === 'chat.completion' || object === 'chat.completion.chunk' || object === 'text_completion') return readOpenAiChat(response);
  if (response.type === 'message') return readAnthropicMessage(response);
  if (fieldsOf(response.usageMetadata) || Array.isArray(response.candidates)) return readGoogle(response);
  if (usage) {
    if ('prompt_tokens' in usage) return readOpenAiChat(response);
    if ('cache_read_input_tokens' in usage || 'cache_creation_input_tokens' in usage) return readAnthropicMessage(response);
    if ('input_tokens' in usage) return readOpenAiResponses(response);
    if ('inputTokens' in usage || 'promptTokens' in usage) return readVercelResult(response);
  }
  // OpenAI's and Anthropic's `.withResponse()` resolve to `{ data, response }`.
  if (fieldsOf(response.data) && 'response' in response) return readResponse(response.data);
  return {};
}

/** OpenAI chat completions (and their chunks, embeddings): input includes cached tokens, output includes reasoning. */
export function readOpenAiChat(response: Fields): ResponseReading {
  const usage = fieldsOf(response.usage);
  const choices = Array.isArray(response.choices) ? response.choices : [];
  return {
    provider: 'openai',
    responseModel: textOf(response.model),
    responseId: textOf(response.id),
    finishReasons: reasons(choices.map((choice) => fieldsOf(choice)?.finish_reason)),
    usage: usage && {
      inputTokens: countOf(usage.prompt_tokens),
      outputTokens: countOf(usage.completion_tokens),
      cacheReadInputTokens: countOf(fieldsOf(usage.prompt_tokens_details)?.cached_tokens),
      reasoningOutputTokens: countOf(fieldsOf(usage.completion_tokens_details)?.reasoning_tokens),
    },
  };
}

/** OpenAI Responses API: `input_tokens` includes cached tokens, `output_tokens` includes reasoning. */
export function readOpenAiResponses(response: Fields): ResponseReading {
  const usage = fieldsOf(response.usage);
  const incomplete = textOf(fieldsOf(response.incomplete_details)?.reason);
  return {
    provider: 'openai',
    responseModel: textOf(response.model),
    responseId: textOf(response.id),
    finishReasons: reasons([incomplete ?? response.status]),
    usage: usage && {
      inputTokens: countOf(usage.input_tokens),
      outputTokens: countOf(usage.output_tokens),
      cacheReadInputTokens: countOf(fieldsOf(usage.input_tokens_details)?.cached_tokens),
      reasoningOutputTokens: countOf(fieldsOf(usage.output_tokens_details)?.reasoning_tokens),
    },
  };
}

/**
 * Anthropic messages. Anthropic's `input_tokens` EXCLUDES cache reads and
 * cache writes, so the convention's total input is the sum of the three;
 * Spanlens then prices `input - cache_read - cache_creation` at the input rate.
 */
export function readAnthropicMessage(response: Fields): ResponseReading {
  return {
    provider: 'anthropic',
    responseModel: textOf(response.model),
    responseId: textOf(response.id),
    finishReasons: reasons([response.stop_reason]),
    usage: anthropicUsage(fieldsOf(response.usage)),
  };
}

export function anthropicUsage(usage: Fields | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const uncached = countOf(usage.input_tokens);
  const cacheRead = countOf(usage.cache_read_input_tokens);
  const cacheCreation = countOf(usage.cache_creation_input_tokens);
  return {
    inputTokens: uncached === undefined ? undefined : uncached + (cacheRead ?? 0) + (cacheCreation ?? 0),
    outputTokens: countOf(usage.output_tokens),
    cacheReadInputTokens: cacheRead,
    cacheCreationInputTokens: cacheCreation,
  };
}

/**
 * Google GenAI (`@google/genai`) `GenerateContentResponse`. `promptTokenCount`
 * includes the cached content; tool-use prompt tokens and thinking tokens are
 * counted apart from prompt and candidates, and billed as input and output.
 */
export function readGoogle(response: Fields): ResponseReading {
  const usage = fieldsOf(response.usageMetadata);
  const candidates = Array.isArray(response.candidates) ? response.candidates : [];
  const thoughts = countOf(usage?.thoughtsTokenCount);
  return {
    provider: 'gcp.gen_ai',
    responseModel: textOf(response.modelVersion),
    responseId: textOf(response.responseId),
    finishReasons: reasons(candidates.map((candidate) => fieldsOf(candidate)?.finishReason)),
    usage: usage && {
      inputTokens: sum(countOf(usage.promptTokenCount), countOf(usage.toolUsePromptTokenCount)),
      outputTokens: sum(countOf(usage.candidatesTokenCount), thoughts),
      cacheReadInputTokens: countOf(usage.cachedContentTokenCount),
      reasoningOutputTokens: thoughts,
    },
  };
}

/**
 * Vercel AI SDK `generateText` / `generateObject` results. v6 reports the total
 * input with `inputTokenDetails`; v5 passes the provider's own input count
 * through, which for Anthropic excludes cache tokens (the cache writes are
 * then only in `providerMetadata.anthropic`); v4 says prompt/completion.
 * The provider is the single key of `providerMetadata`, when there is one.
 */
export function readVercelResult(result: Fields): ResponseReading {
  // A multi-step call (tools) bills every step: v5+ sums them in `totalUsage`, `usage` is the last step's.
  const usage = fieldsOf(result.totalUsage) ?? fieldsOf(result.usage);
  const response = fieldsOf(result.response);
  const providerMetadata = fieldsOf(result.providerMetadata);
  const providers = providerMetadata ? Object.keys(providerMetadata) : [];
  const provider = providers.length === 1 ? providers[0] : undefined;
  return {
    provider,
    responseModel: textOf(response?.modelId),
    responseId: textOf(response?.id),
    finishReasons: reasons([result.finishReason]),
    usage: usage && vercelUsage(usage, provider === 'anthropic' ? fieldsOf(providerMetadata?.anthropic) : undefined),
  };
}

function vercelUsage(usage: Fields, anthropic: Fields | undefined): TokenUsage {
  const inputDetails = fieldsOf(usage.inputTokenDetails);
  const outputDetails = fieldsOf(usage.outputTokenDetails);
  if (inputDetails || outputDetails) {
    return {
      inputTokens: countOf(usage.inputTokens),
      outputTokens: countOf(usage.outputTokens),
      cacheReadInputTokens: countOf(inputDetails?.cacheReadTokens),
      cacheCreationInputTokens: countOf(inputDetails?.cacheWriteTokens),
      reasoningOutputTokens: countOf(outputDetails?.reasoningTokens),
    };
  }
  const input = countOf(usage.inputTokens) ?? countOf(usage.promptTokens);
  const cacheRead = countOf(usage.cachedInputTokens);
  const cacheCreation = countOf(anthropic?.cacheCreationInputTokens);
  return {
    inputTokens: anthropic && input !== undefined ? input + (cacheRead ?? 0) + (cacheCreation ?? 0) : input,
    outputTokens: countOf(usage.outputTokens) ?? countOf(usage.completionTokens),
    cacheReadInputTokens: cacheRead,
    cacheCreationInputTokens: cacheCreation,
    reasoningOutputTokens: countOf(usage.reasoningTokens),
  };
}
