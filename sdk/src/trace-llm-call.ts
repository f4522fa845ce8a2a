import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import { callSiteAttributes, captureCallSite, type CallSite } from './call-site.js';
import type { MutableRequest } from './mutable-request.js';
import { readRequest } from './request-reading.js';
import { readResponse, type ResponseReading } from './response-reading.js';
import { createStreamReader } from './stream-reading.js';
import { isAsyncIterable, traceStream } from './trace-stream.js';
import { SDK_NAME, SDK_VERSION } from './version.js';

export interface LlmCallOptions {
  /** `spanlens.prompt.id`: the prompt template this call renders. */
  promptId?: string;
  /** `spanlens.prompt.version`. */
  promptVersion?: string | number;
  /** `spanlens.feature`: the product feature the cost is booked to. */
  feature?: string;
  /** `user.id`: the end user the call is made for. */
  userId?: string;
  /** `gen_ai.conversation.id`: the session or conversation. */
  conversationId?: string;
  /** `gen_ai.request.model`, when it is not read from the request. */
  model?: string;
  /**
   * `gen_ai.provider.name`. Without it the provider is read from a Vercel AI
   * SDK model object, else guessed from the response's shape. Set it for
   * OpenAI-compatible APIs (Azure, Groq, DeepSeek, a local server…), whose
   * responses look like OpenAI's.
   */
  provider?: string;
  /** `gen_ai.operation.name`; default `chat`. */
  operation?: string;
  /** More attributes for the span. */
  attributes?: Attributes;
  /** Default: `trace.getTracer('@spanlens/sdk', version)` from the globally registered provider. */
  tracer?: Tracer;
  /** Default: the caller's file, line and function, from the stack. `false` leaves them out. */
  callSite?: CallSite | false;
}

/**
 * Runs one LLM SDK call inside an OpenTelemetry GenAI client span named
 * `{operation} {model}`, with the call site, prompt and attribution attributes
 * and the usage read from the response, and returns the call's result
 * unchanged. When the result is a stream (an async iterable), the span stays
 * open until the stream has been read to its end, broken off, or failed.
 * A failed call ends the span with status ERROR and the error is rethrown as is.
 * The result comes back as a plain promise: call an SDK promise's own helpers
 * (OpenAI's `.withResponse()`) inside the callback.
 *
 * With a request, the model and sampling parameters are read from it:
 *
 *     await traceLlmCall({ promptId: 'support-reply' }, { model: 'gpt-4o-mini', messages },
 *       (request) => openai.chat.completions.create(request));
 */
export function traceLlmCall<T>(options: LlmCallOptions, call: (span: Span) => T): Promise<Awaited<T>>;
export function traceLlmCall<const R, T>(
  options: LlmCallOptions,
  request: R,
  call: (request: MutableRequest<R>, span: Span) => T,
): Promise<Awaited<T>>;
export function traceLlmCall(
  options: LlmCallOptions,
  requestOrCall: unknown,
  callWithRequest?: (request: unknown, span: Span) => unknown,
): Promise<unknown> {
  const withRequest = callWithRequest !== undefined;
  const request = withRequest ? readRequest(requestOrCall) : { attributes: {} };
  const operation = options.operation ?? 'chat';
  const model = options.model ?? request.model;
  const provider = options.provider ?? request.provider;
  const tracer = options.tracer ?? trace.getTracer(SDK_NAME, SDK_VERSION);
  const span = tracer.startSpan(spanName(operation, model), {
    kind: SpanKind.CLIENT,
    attributes: { ...startAttributes(options, operation, model, provider), ...request.attributes, ...options.attributes },
  });
  // With no SDK registered (or the call sampled out) the span records nothing:
  // skip the stack capture and the response reading.
  const recording = span.isRecording();
  if (recording && options.callSite !== false) {
    const site = options.callSite ?? captureCallSite(traceLlmCall);
    if (site) span.setAttributes(callSiteAttributes(site));
  }

  let result: unknown;
  try {
    result = context.with(trace.setSpan(context.active(), span), () =>
      withRequest ? callWithRequest(requestOrCall, span) : (requestOrCall as (span: Span) => unknown)(span),
    );
  } catch (error) {
    endWithError(span, error);
    return Promise.reject(error);
  }
  return Promise.resolve(result).then(
    (value) => {
      if (!recording) {
        span.end();
        return value;
      }
      const named = { operation, model, provider };
      try {
        if (isAsyncIterable(value)) {
          const reader = createStreamReader();
          return traceStream(value, {
            onChunk: (chunk) => reader.observe(chunk),
            onEnd: (error) => (error === undefined ? endWithReading(span, reader.result(), named) : endWithError(span, error)),
          });
        }
        endWithReading(span, readResponse(value), named);
      } catch {
        // Reading a response of an unforeseen shape must never fail the application's call.
        span.end();
      }
      return value;
    },
    (error: unknown) => {
      endWithError(span, error);
      throw error;
    },
  );
}

function spanName(operation: string, model: string | undefined): string {
  return model ? `${operation} ${model}` : operation;
}

function startAttributes(options: LlmCallOptions, operation: string, model?: string, provider?: string): Attributes {
  const attributes: Attributes = { 'gen_ai.operation.name': operation };
  if (provider) attributes['gen_ai.provider.name'] = provider;
  if (model) attributes['gen_ai.request.model'] = model;
  if (options.promptId !== undefined) attributes['spanlens.prompt.id'] = options.promptId;
  if (options.promptVersion !== undefined) attributes['spanlens.prompt.version'] = String(options.promptVersion);
  if (options.feature !== undefined) attributes['spanlens.feature'] = options.feature;
  if (options.userId !== undefined) attributes['user.id'] = options.userId;
  if (options.conversationId !== undefined) attributes['gen_ai.conversation.id'] = options.conversationId;
  return attributes;
}

function endWithReading(
  span: Span,
  reading: ResponseReading,
  started: { operation: string; model: string | undefined; provider: string | undefined },
): void {
  const attributes: Attributes = {};
  if (!started.provider && reading.provider) attributes['gen_ai.provider.name'] = reading.provider;
  if (reading.responseModel) attributes['gen_ai.response.model'] = reading.responseModel;
  if (reading.responseId) attributes['gen_ai.response.id'] = reading.responseId;
  if (reading.finishReasons) attributes['gen_ai.response.finish_reasons'] = reading.finishReasons;
  const usage = reading.usage;
  if (usage?.inputTokens !== undefined) attributes['gen_ai.usage.input_tokens'] = usage.inputTokens;
  if (usage?.outputTokens !== undefined) attributes['gen_ai.usage.output_tokens'] = usage.outputTokens;
  if (usage?.cacheReadInputTokens !== undefined) attributes['gen_ai.usage.cache_read.input_tokens'] = usage.cacheReadInputTokens;
  if (usage?.cacheCreationInputTokens !== undefined) attributes['gen_ai.usage.cache_creation.input_tokens'] = usage.cacheCreationInputTokens;
  if (usage?.reasoningOutputTokens !== undefined) attributes['gen_ai.usage.reasoning.output_tokens'] = usage.reasoningOutputTokens;
  span.setAttributes(attributes);
  // The span was named before the call; without a request model, the model that answered names it.
  if (!started.model && reading.responseModel) span.updateName(spanName(started.operation, reading.responseModel));
  span.end();
}

function endWithError(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  else span.recordException(String(error));
  span.setAttribute('error.type', errorType(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
  span.end();
}

/**
 * A low-cardinality name for the failure: the error's class (`RateLimitError`,
 * `APIConnectionError` in the OpenAI and Anthropic SDKs), else its `name`;
 * `_OTHER` for a thrown non-error, as the conventions ask.
 */
function errorType(error: unknown): string {
  if (!(error instanceof Error)) return '_OTHER';
  const className = error.constructor?.name;
  if (className && className !== 'Error') return className;
  return error.name || 'Error';
}
