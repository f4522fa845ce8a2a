import type { MappingConfig, RejectReason, UnpricedLlmSpan } from '@spanlens/core';
import type { OtlpKeyValue, OtlpSpan } from '../otlp/types';
import type { AttributeMap } from './attribute-lookup';
import { findFirst, textAt, textOf, textOfEither, toAttributeMap } from './attribute-lookup';
import {
  CODE_FILE_KEYS,
  ERROR_TYPE_KEY,
  LLM_MARKER_KEYS,
  OPERATION_KEY,
  PROVIDER_KEYS,
  REQUEST_MODEL_KEYS,
  RESPONSE_MODEL_KEYS,
  SESSION_KEYS,
  USER_KEYS,
  VERCEL_WRAPPER_OPERATIONS,
} from './attribute-keys';
import type { MappingPlan } from './mapping-plan';
import { normaliseProvider } from './provider';
import { finishReasonsOf, functionNameOf, lineNumberOf, promptOf } from './span-details';
import { checkIds, checkTimestamps, durationMs } from './span-checks';
import { contentText } from './content-text';
import { newMappingTally, storedAttributes, truncateCounted, truncateIdCounted, type MappingTally } from './stored-attributes';
import { timeToFirstTokenMs } from './time-to-first-token';
import { extractUsage } from './usage';

/** What every span of one resource shares, computed once per resource. */
export interface ResourceContext {
  attributes: AttributeMap;
  /**
   * The stored resource attributes. One frozen object shared by every span of
   * the resource (and so by their rows), never a copy per span.
   */
  stored: Readonly<Record<string, string>>;
  serviceName: string;
  /** Derived from the options, shared by every resource of every request. */
  plan: MappingPlan;
}

export type SpanOutcome =
  | { kind: 'mapped'; span: UnpricedLlmSpan }
  | { kind: 'skipped' }
  | { kind: 'rejected'; reason: RejectReason; problem: string };

const STATUS_CODE_ERROR = 2;
const VERCEL_OPERATION_KEY = 'ai.operationId';
const OPERATION_KIND_KEYS = ['openinference.span.kind', 'langfuse.observation.type', 'llm.request.type'];
const SKIPPED: SpanOutcome = Object.freeze({ kind: 'skipped' });

/**
 * Maps one OTLP span to the normalised LLM span. Spans that are not LLM calls
 * (HTTP, database, framework spans) are skipped; LLM spans that fail a check
 * are rejected with the reason, and nothing else in the request is affected.
 *
 * Runs for every span received, so it avoids allocating what it does not
 * keep: no per-span closures, key arrays or object spreads.
 */
export function mapSpan(span: OtlpSpan, resource: ResourceContext, options: MappingConfig, tally: MappingTally = newMappingTally()): SpanOutcome {
  // Past the cap, the first attributes are kept and the rest dropped and
  // counted, as OpenTelemetry SDKs do (dropped_attributes_count): one noisy
  // instrumentation should cost the span its extra attributes, not its cost.
  const cap = options.max_attributes_per_span;
  const kept = span.attributes.length > cap ? span.attributes.slice(0, cap) : span.attributes;
  const attributes = toAttributeMap(kept);
  const genAiOperation = textAt(attributes, OPERATION_KEY);
  const vercelOperation = textAt(attributes, VERCEL_OPERATION_KEY) || span.name;
  if (!isLlmSpan(span, attributes, genAiOperation, vercelOperation)) return SKIPPED;

  tally.droppedAttributes += span.attributes.length - kept.length;
  const ids = checkIds(span);
  if (!ids.ok) return rejected('invalid_ids', ids.problem);
  const timestampProblem = checkTimestamps(span);
  if (timestampProblem) return rejected('invalid_timestamps', timestampProblem);
  const result = extractUsage(attributes);
  if (!result.ok) return rejected('invalid_tokens', result.message);
  const usage = result.usage;

  const max = options.max_attribute_value_chars;
  const requestModel = truncateIdCounted(textOf(attributes, REQUEST_MODEL_KEYS), max, tally);
  const responseModel = truncateIdCounted(textOf(attributes, RESPONSE_MODEL_KEYS), max, tally);
  const isError = span.status.code === STATUS_CODE_ERROR;
  const prompt = promptOf(attributes);
  const finishReasons = finishReasonsOf(attributes);
  for (let i = 0; i < finishReasons.length; i++) finishReasons[i] = truncateCounted(finishReasons[i]!, max, tally);

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
      span_name: truncateCounted(span.name, max, tally),
      provider: normaliseProvider(truncateCounted(textOfEither(attributes, resource.attributes, PROVIDER_KEYS), max, tally)),
      operation: truncateCounted(operationOf(attributes, genAiOperation, vercelOperation), max, tally),
      request_model: requestModel,
      response_model: responseModel,
      model: responseModel || requestModel,
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_read_tokens: usage.cache_read_tokens,
      cache_write_tokens: usage.cache_write_tokens,
      reasoning_tokens: usage.reasoning_tokens,
      finish_reasons: finishReasons,
      is_error: isError,
      error_type: isError ? truncateCounted(textAt(attributes, ERROR_TYPE_KEY) || span.status.message || 'error', max, tally) : '',
      ttft_ms: timeToFirstTokenMs(span, attributes),
      feature: truncateIdCounted(textOfEither(attributes, resource.attributes, resource.plan.featureKeys), max, tally),
      user_id: truncateIdCounted(textOfEither(attributes, resource.attributes, USER_KEYS), max, tally),
      session_id: truncateIdCounted(textOfEither(attributes, resource.attributes, SESSION_KEYS), max, tally),
      prompt_id: truncateIdCounted(prompt.id, max, tally),
      prompt_version: truncateIdCounted(prompt.version, max, tally),
      code_file_path: truncateIdCounted(textOf(attributes, CODE_FILE_KEYS), max, tally),
      code_line_number: lineNumberOf(attributes),
      code_function_name: truncateIdCounted(functionNameOf(attributes), max, tally),
      attributes: storedAttributes(kept, max, resource.plan.mappedKeys, tally),
      // Shared, not copied: the object is frozen (see storedResourceAttributes).
      resource_attributes: resource.stored,
      ...(options.capture_content ? capturedContent(span, kept, options.max_content_chars, tally) : {}),
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
function isLlmSpan(span: OtlpSpan, attributes: AttributeMap, genAiOperation: string, vercelOperation: string): boolean {
  if (VERCEL_WRAPPER_OPERATIONS.has(vercelOperation)) return false;
  if (genAiOperation === 'create_agent' || genAiOperation === 'execute_tool') return false;
  if (genAiOperation === 'invoke_agent' && span.kind !== SPAN_KIND_CLIENT) return false;
  return findFirst(attributes, LLM_MARKER_KEYS) !== undefined;
}

/**
 * `gen_ai.operation.name` when present. Other dialects mark embeddings in
 * their own way; everything else is a chat call. OpenLLMetry's
 * `llm.request.type` is only trusted for embeddings and rerank, because its
 * Anthropic instrumentation labels chat calls "completion".
 */
function operationOf(attributes: AttributeMap, genAiOperation: string, vercelOperation: string): string {
  if (genAiOperation) return genAiOperation;
  if (vercelOperation.endsWith('.doEmbed')) return 'embeddings';
  const kind = textOf(attributes, OPERATION_KIND_KEYS).toLowerCase();
  if (kind === 'embedding') return 'embeddings';
  if (kind === 'rerank' || kind === 'reranker') return 'rerank';
  return 'chat';
}

/** Prompt and completion text, when content capture is on (it is redacted before storage, see redaction/). */
function capturedContent(span: OtlpSpan, attributes: readonly OtlpKeyValue[], maxChars: number, tally: MappingTally): { prompt_text: string; completion_text: string } {
  const { prompt, completion } = contentText(attributes, span.events, maxChars, tally);
  return { prompt_text: prompt, completion_text: completion };
}
