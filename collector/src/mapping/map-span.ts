import type { MappingConfig, RejectReason, UnpricedLlmSpan } from '@spanlens/core';
import type { OtlpSpan } from '../otlp/types';
import type { AttributeMap } from './attribute-lookup';
import { findFirst, firstText, toAttributeMap } from './attribute-lookup';
import {
  CODE_FILE_KEYS,
  FEATURE_FALLBACK_KEYS,
  FEATURE_KEY,
  LLM_MARKER_KEYS,
  PROVIDER_KEYS,
  REQUEST_MODEL_KEYS,
  RESPONSE_MODEL_KEYS,
  SESSION_KEYS,
  USER_KEYS,
  VERCEL_WRAPPER_OPERATIONS,
} from './attribute-keys';
import { normaliseProvider } from './provider';
import { finishReasonsOf, functionNameOf, lineNumberOf, promptOf } from './span-details';
import { checkIds, checkTimestamps, durationMs } from './span-checks';
import { storedAttributes, truncate } from './stored-attributes';
import { timeToFirstTokenMs } from './time-to-first-token';
import { extractUsage } from './usage';

/** What every span of one resource shares, computed once per resource. */
export interface ResourceContext {
  attributes: AttributeMap;
  stored: Record<string, string>;
  serviceName: string;
}

export type SpanOutcome =
  | { kind: 'mapped'; span: UnpricedLlmSpan }
  | { kind: 'skipped' }
  | { kind: 'rejected'; reason: RejectReason; problem: string };

const STATUS_CODE_ERROR = 2;

/**
 * Maps one OTLP span to the normalised LLM span. Spans that are not LLM calls
 * (HTTP, database, framework spans) are skipped; LLM spans that fail a check
 * are rejected with the reason, and nothing else in the request is affected.
 */
export function mapSpan(span: OtlpSpan, resource: ResourceContext, options: MappingConfig): SpanOutcome {
  const attributes = toAttributeMap(span.attributes);
  if (!isLlmSpan(span, attributes)) return { kind: 'skipped' };

  if (span.attributes.length > options.max_attributes_per_span) {
    return rejected('too_many_attributes', `has ${span.attributes.length} attributes, more than the limit of ${options.max_attributes_per_span}`);
  }
  const ids = checkIds(span);
  if (!ids.ok) return rejected('invalid_ids', ids.problem);
  const timestampProblem = checkTimestamps(span);
  if (timestampProblem) return rejected('invalid_timestamps', timestampProblem);
  const usage = extractUsage(attributes);
  if (!usage.ok) return rejected('invalid_tokens', usage.message);

  const max = options.max_attribute_value_chars;
  const text = (keys: readonly string[], maps: readonly AttributeMap[] = [attributes]) => truncate(firstText(maps, keys), max);
  const spanThenResource = [attributes, resource.attributes];
  const requestModel = text(REQUEST_MODEL_KEYS);
  const responseModel = text(RESPONSE_MODEL_KEYS);
  const isError = span.status.code === STATUS_CODE_ERROR;
  const prompt = promptOf(attributes);

  return {
    kind: 'mapped',
    span: {
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_span_id: ids.parentSpanId,
      start_time_ns: span.startTimeUnixNano,
      end_time_ns: span.endTimeUnixNano,
      duration_ms: durationMs(span.startTimeUnixNano, span.endTimeUnixNano),
      service_name: resource.serviceName,
      span_name: truncate(span.name, max),
      provider: normaliseProvider(text(PROVIDER_KEYS, spanThenResource)),
      operation: truncate(operationOf(span, attributes), max),
      request_model: requestModel,
      response_model: responseModel,
      model: responseModel || requestModel,
      ...usage.usage,
      finish_reasons: finishReasonsOf(attributes).map((reason) => truncate(reason, max)),
      is_error: isError,
      error_type: isError ? truncate(text(['error.type']) || span.status.message || 'error', max) : '',
      ttft_ms: timeToFirstTokenMs(span, attributes),
      feature: text([FEATURE_KEY, ...options.feature_keys, ...FEATURE_FALLBACK_KEYS], spanThenResource),
      user_id: text(USER_KEYS, spanThenResource),
      session_id: text(SESSION_KEYS, spanThenResource),
      prompt_id: truncate(prompt.id, max),
      prompt_version: truncate(prompt.version, max),
      code_file_path: text(CODE_FILE_KEYS),
      code_line_number: lineNumberOf(attributes),
      code_function_name: truncate(functionNameOf(attributes), max),
      attributes: storedAttributes(span.attributes, max),
      // A copy per span, so that a later stage (redaction) can change one span without touching its neighbours.
      resource_attributes: { ...resource.stored },
    },
  };
}

function rejected(reason: RejectReason, problem: string): SpanOutcome {
  return { kind: 'rejected', reason, problem };
}

const SPAN_KIND_CLIENT = 3;

/**
 * A span is an LLM call when it names a model or reports token usage. Two
 * kinds of span that do so are not calls of their own, and mapping them would
 * count their calls twice: Vercel AI SDK wrappers (see VERCEL_WRAPPER_OPERATIONS)
 * and GenAI agent spans. An in-process agent (`invoke_agent`, not a CLIENT
 * span) makes its model calls through instrumented clients whose spans are
 * mapped, so its own span, which may sum their usage, is skipped; a remote
 * agent (a CLIENT span) is the only record of its calls and is mapped.
 * `create_agent` and `execute_tool` spans call no model.
 */
function isLlmSpan(span: OtlpSpan, attributes: AttributeMap): boolean {
  const vercelOperation = firstText([attributes], ['ai.operationId']) || span.name;
  if (VERCEL_WRAPPER_OPERATIONS.has(vercelOperation)) return false;
  const operation = firstText([attributes], ['gen_ai.operation.name']);
  if (operation === 'create_agent' || operation === 'execute_tool') return false;
  if (operation === 'invoke_agent' && span.kind !== SPAN_KIND_CLIENT) return false;
  return findFirst(attributes, LLM_MARKER_KEYS) !== undefined;
}

/**
 * `gen_ai.operation.name` when present. Other dialects mark embeddings in
 * their own way; everything else is a chat call. OpenLLMetry's
 * `llm.request.type` is only trusted for embeddings and rerank, because its
 * Anthropic instrumentation labels chat calls "completion".
 */
function operationOf(span: OtlpSpan, attributes: AttributeMap): string {
  const operation = firstText([attributes], ['gen_ai.operation.name']);
  if (operation) return operation;
  const vercelOperation = firstText([attributes], ['ai.operationId']) || span.name;
  if (vercelOperation.endsWith('.doEmbed')) return 'embeddings';
  const kind = firstText([attributes], ['openinference.span.kind', 'langfuse.observation.type', 'llm.request.type']).toLowerCase();
  if (kind === 'embedding') return 'embeddings';
  if (kind === 'rerank' || kind === 'reranker') return 'rerank';
  return 'chat';
}
