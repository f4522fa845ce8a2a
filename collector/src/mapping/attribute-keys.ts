/**
 * The attribute names each instrumentation dialect uses, in lookup order: the
 * first key present wins. Current OpenTelemetry GenAI names come first, then
 * their deprecated names, then the instrumentation dialects.
 *
 * Sources the names were checked against:
 * - OpenTelemetry GenAI semantic conventions (model/gen-ai/registry.yaml):
 *   gen_ai.provider.name, gen_ai.{request,response}.model, gen_ai.usage.*,
 *   gen_ai.conversation.id; deprecated gen_ai.system, gen_ai.usage.{prompt,completion}_tokens.
 * - OpenLLMetry (traceloop opentelemetry-semantic-conventions-ai, SpanAttributes):
 *   old llm.vendor / llm.request.model / llm.response.model / llm.usage.*;
 *   later gen_ai.usage.cache_{read,creation}_input_tokens, llm.usage.total_tokens,
 *   llm.request.type, traceloop.prompt.*, traceloop.association.properties.
 * - OpenInference (openinference-semantic-conventions SemanticConventions.ts):
 *   llm.provider, llm.system, llm.model_name, llm.{request,response}.model_name,
 *   llm.token_count.{prompt,completion,total}, …prompt_details.cache_{read,write},
 *   …completion_details.reasoning, llm.finish_reason, prompt.id, llm.prompt_template.version.
 * - Vercel AI SDK telemetry docs (content/docs/03-ai-sdk-core/60-telemetry.mdx):
 *   ai.model.{id,provider}, ai.response.model, ai.usage.{promptTokens,completionTokens} (v4),
 *   ai.usage.{inputTokens,outputTokens,totalTokens,cachedInputTokens,reasoningTokens} (v5),
 *   ai.response.msToFirstChunk, ai.stream.msToFirstChunk (v3), ai.operationId, ai.telemetry.metadata.*.
 * - Langfuse (LangfuseOtelSpanAttributes in the Langfuse SDKs): langfuse.observation.model.name,
 *   .usage_details, .prompt.{name,version}, .completion_start_time; user.id / session.id,
 *   and the older langfuse.user.id / langfuse.session.id.
 */

import { PROMPT_KEY_PAIRS } from '@spanlens/core/prompt-keys';

export const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'llm.vendor', 'llm.provider', 'llm.system', 'ai.model.provider'];

export const REQUEST_MODEL_KEYS = [
  'gen_ai.request.model',
  'llm.request.model',
  'llm.request.model_name',
  'llm.model_name',
  'ai.model.id',
  'langfuse.observation.model.name',
  // OpenInference embedding spans name their model here instead of llm.model_name.
  'embedding.model_name',
];

export const RESPONSE_MODEL_KEYS = ['gen_ai.response.model', 'llm.response.model', 'llm.response.model_name', 'ai.response.model'];

export const INPUT_TOKEN_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'llm.usage.prompt_tokens',
  'llm.token_count.prompt',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
];

export const OUTPUT_TOKEN_KEYS = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.usage.completion_tokens',
  'llm.token_count.completion',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
];

/** Used only to fill input tokens when a span reports a total but no input (embeddings). */
export const TOTAL_TOKEN_KEYS = ['gen_ai.usage.total_tokens', 'llm.usage.total_tokens', 'llm.token_count.total', 'ai.usage.totalTokens', 'ai.usage.tokens'];

export const CACHE_READ_TOKEN_KEYS = [
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_read_input_tokens',
  'llm.usage.cache_read_input_tokens',
  'llm.token_count.prompt_details.cache_read',
  'ai.usage.cachedInputTokens',
  'ai.usage.inputTokenDetails.cacheReadTokens',
  // Sentry and OpenRouter spell the cache details as sub-keys of the token counts.
  'gen_ai.usage.input_tokens.cached',
];

export const CACHE_WRITE_TOKEN_KEYS = [
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.cache_creation_input_tokens',
  'llm.token_count.prompt_details.cache_write',
  'ai.usage.inputTokenDetails.cacheWriteTokens',
  'gen_ai.usage.input_tokens.cache_write',
];

export const REASONING_TOKEN_KEYS = [
  'gen_ai.usage.reasoning.output_tokens',
  'gen_ai.usage.reasoning_tokens',
  'llm.token_count.completion_details.reasoning',
  'ai.usage.reasoningTokens',
  'ai.usage.outputTokenDetails.reasoningTokens',
  'gen_ai.usage.output_tokens.reasoning',
];

export const LANGFUSE_USAGE_KEY = 'langfuse.observation.usage_details';

export const FINISH_REASON_KEYS = [
  'gen_ai.response.finish_reasons',
  'gen_ai.response.finish_reason',
  'llm.response.finish_reason',
  'llm.finish_reason',
  'ai.response.finishReason',
];

export const FEATURE_KEY = 'spanlens.feature';
/** Looked up after `spanlens.feature` and the configured feature keys. */
export const FEATURE_FALLBACK_KEYS = ['traceloop.association.properties.feature', 'ai.telemetry.metadata.feature'];

export const USER_KEYS = [
  'user.id',
  'enduser.id',
  'langfuse.user.id',
  'user_id',
  'traceloop.association.properties.user_id',
  'ai.telemetry.metadata.userId',
];

export const SESSION_KEYS = [
  'gen_ai.conversation.id',
  'session.id',
  'langfuse.session.id',
  'traceloop.association.properties.session_id',
  'ai.telemetry.metadata.sessionId',
];

/** Prompt id and version pairs live in core: the language server finds the same keys in source. */
export { PROMPT_KEY_PAIRS };

export const CODE_FILE_KEYS = ['code.file.path', 'code.filepath'];
export const CODE_LINE_KEYS = ['code.line.number', 'code.lineno'];
export const CODE_FUNCTION_KEY = 'code.function.name';
/** Before semconv 1.30 the function name and its namespace were separate attributes. */
export const OLD_CODE_FUNCTION_KEY = 'code.function';
export const OLD_CODE_NAMESPACE_KEY = 'code.namespace';

export const OPERATION_KEY = 'gen_ai.operation.name';
export const ERROR_TYPE_KEY = 'error.type';

/**
 * Seconds. The GenAI conventions define time to first token/chunk as metrics
 * (gen_ai.server.time_to_first_token, gen_ai.client.operation.time_to_first_chunk);
 * some instrumentations (Pydantic AI, Vercel AI SDK v7) write them on the span.
 */
export const TTFT_SECONDS_KEYS = ['gen_ai.server.time_to_first_token', 'gen_ai.response.time_to_first_chunk', 'gen_ai.client.operation.time_to_first_chunk'];
/** Vercel AI SDK doStream spans: `ai.response.msToFirstChunk` (v4+), `ai.stream.msToFirstChunk` (v3). */
export const TTFT_MS_KEYS = ['ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'];
/** Langfuse records when the completion started as an ISO timestamp. */
export const COMPLETION_START_KEY = 'langfuse.observation.completion_start_time';

/** Model and usage keys: a span carrying any of them is an LLM span. */
export const LLM_MARKER_KEYS = [
  ...REQUEST_MODEL_KEYS,
  ...RESPONSE_MODEL_KEYS,
  ...INPUT_TOKEN_KEYS,
  ...OUTPUT_TOKEN_KEYS,
  ...TOTAL_TOKEN_KEYS,
  LANGFUSE_USAGE_KEY,
];

/**
 * Vercel AI SDK wrapper spans (`ai.generateText`, …) carry the summed usage of
 * the provider-call spans nested in them (`ai.generateText.doGenerate`, …),
 * which carry their own. Mapping both would count each call's tokens twice,
 * so only the inner spans are LLM spans.
 */
export const VERCEL_WRAPPER_OPERATIONS = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
  'ai.embed',
  'ai.embedMany',
]);

/**
 * Span attributes whose value the mapper stores in a column of its own:
 * provider, models, token counts, feature, user, session, prompt, code
 * location, operation, finish reasons and time to first token. They are left
 * out of the stored `attributes` map, which would otherwise repeat them on
 * every row (the configured `mapping.feature_keys` are left out as well; see
 * mappedKeysFor). When a span carries two dialects' keys for one column, the
 * one not chosen is dropped too: first present wins, as for the column.
 *
 * Not here, so still stored: `error.type` (a column only on error spans),
 * Langfuse's `usage_details` (its usage types that are not tokens have no
 * column), and the attributes that only steer the operation (`ai.operationId`,
 * `openinference.span.kind`, `llm.request.type`, `langfuse.observation.type`),
 * whose values the operation column does not keep.
 */
export const MAPPED_KEYS: ReadonlySet<string> = new Set([
  ...PROVIDER_KEYS,
  ...REQUEST_MODEL_KEYS,
  ...RESPONSE_MODEL_KEYS,
  ...INPUT_TOKEN_KEYS,
  ...OUTPUT_TOKEN_KEYS,
  ...TOTAL_TOKEN_KEYS,
  ...CACHE_READ_TOKEN_KEYS,
  ...CACHE_WRITE_TOKEN_KEYS,
  ...REASONING_TOKEN_KEYS,
  ...FINISH_REASON_KEYS,
  FEATURE_KEY,
  ...FEATURE_FALLBACK_KEYS,
  ...USER_KEYS,
  ...SESSION_KEYS,
  ...PROMPT_KEY_PAIRS.flat(),
  ...CODE_FILE_KEYS,
  ...CODE_LINE_KEYS,
  CODE_FUNCTION_KEY,
  OLD_CODE_FUNCTION_KEY,
  OLD_CODE_NAMESPACE_KEY,
  OPERATION_KEY,
  ...TTFT_SECONDS_KEYS,
  ...TTFT_MS_KEYS,
  COMPLETION_START_KEY,
]);
