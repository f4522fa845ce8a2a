import {
  anthropicUsage,
  fieldsOf,
  readOpenAiResponses,
  readResponse,
  textOf,
  type ResponseReading,
} from './response-reading.js';

/** Folds the chunks of a streamed response into one reading, as they pass. */
export interface StreamReader {
  observe(chunk: unknown): void;
  result(): ResponseReading;
}

/**
 * Understands the streams of:
 * - OpenAI chat completions: `chat.completion.chunk`s; usage arrives only in the
 *   last chunk, and only when the request asked for
 *   `stream_options: { include_usage: true }`.
 * - OpenAI Responses: `response.created` … `response.completed` events, the
 *   last carrying the whole response with its usage.
 * - Anthropic messages: `message_start` carries the input usage, each
 *   `message_delta` the cumulative output (and, lately, input) counts and the
 *   stop reason.
 * - Google GenAI `generateContentStream`: each chunk is a response whose
 *   `usageMetadata` is the running total.
 */
export function createStreamReader(): StreamReader {
  let reading: ResponseReading = {};
  let anthropic: Record<string, unknown> | undefined;
  const finishReasons: string[] = [];

  return {
    observe(chunk) {
      const event = fieldsOf(chunk);
      if (!event) return;
      const type = textOf(event.type);
      if (type === 'message_start') {
        const message = fieldsOf(event.message);
        reading = merge(reading, { provider: 'anthropic', responseModel: textOf(message?.model), responseId: textOf(message?.id) });
        anthropic = { ...fieldsOf(message?.usage) };
        return;
      }
      if (type === 'message_delta') {
        // The delta's counts are cumulative; absent or null ones keep the start's.
        for (const [key, value] of Object.entries(fieldsOf(event.usage) ?? {})) {
          if (value !== null && value !== undefined) anthropic = { ...anthropic, [key]: value };
        }
        const stopReason = textOf(fieldsOf(event.delta)?.stop_reason);
        if (stopReason) finishReasons.push(stopReason);
        return;
      }
      if (type?.startsWith('response.')) {
        const response = fieldsOf(event.response);
        if (response) reading = merge(reading, readOpenAiResponses(response));
        return;
      }
      const part = readResponse(event);
      finishReasons.push(...(part.finishReasons ?? []));
      reading = merge(reading, { ...part, finishReasons: undefined });
    },
    result() {
      return {
        ...reading,
        usage: anthropic ? anthropicUsage(anthropic) : reading.usage,
        finishReasons: finishReasons.length > 0 ? finishReasons : reading.finishReasons,
      };
    },
  };
}

/** Later chunks win, field by field; a chunk without a field keeps the earlier value. */
function merge(earlier: ResponseReading, later: ResponseReading): ResponseReading {
  return {
    provider: later.provider ?? earlier.provider,
    responseModel: later.responseModel ?? earlier.responseModel,
    responseId: later.responseId ?? earlier.responseId,
    finishReasons: later.finishReasons ?? earlier.finishReasons,
    usage: later.usage ?? earlier.usage,
  };
}
