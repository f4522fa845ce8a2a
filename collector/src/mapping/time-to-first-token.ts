import { anyValueToString } from '../otlp/any-value';
import type { OtlpSpan } from '../otlp/types';
import type { AttributeMap } from './attribute-lookup';
import { findFirst, numberOf, toAttributeMap } from './attribute-lookup';
import { COMPLETION_START_KEY, TTFT_MS_KEYS, TTFT_SECONDS_KEYS } from './attribute-keys';

/** The event the Vercel AI SDK records when the first chunk of a stream arrives. */
const FIRST_CHUNK_EVENT = 'ai.stream.firstChunk';
const COMPLETION_START_KEYS = [COMPLETION_START_KEY];

/**
 * Time to first token in milliseconds, or null when the instrumentation did
 * not report one (non-streaming calls never do). A value that is not a
 * non-negative number is dropped rather than rejecting the span: the token
 * counts and cost are still good.
 */
export function timeToFirstTokenMs(span: OtlpSpan, attributes: AttributeMap): number | null {
  const seconds = findFirst(attributes, TTFT_SECONDS_KEYS);
  if (seconds) return validMs((numberOf(seconds.value) ?? NaN) * 1000);

  const ms = findFirst(attributes, TTFT_MS_KEYS);
  if (ms) return validMs(numberOf(ms.value));

  const firstChunk = span.events.length === 0 ? undefined : span.events.find((event) => event.name === FIRST_CHUNK_EVENT);
  if (firstChunk) {
    const fromAttribute = findFirst(toAttributeMap(firstChunk.attributes), TTFT_MS_KEYS);
    if (fromAttribute) return validMs(numberOf(fromAttribute.value));
    return validMs(nanosBetween(span.startTimeUnixNano, BigInt(firstChunk.timeUnixNano)));
  }

  const completionStart = findFirst(attributes, COMPLETION_START_KEYS);
  if (completionStart) {
    // The Langfuse SDKs JSON-encode the timestamp, so it may arrive quoted.
    const epochMs = Date.parse(anyValueToString(completionStart.value).replace(/^"|"$/g, ''));
    return Number.isNaN(epochMs) ? null : validMs(nanosBetween(span.startTimeUnixNano, BigInt(epochMs) * 1_000_000n));
  }
  return null;
}

/** Milliseconds from the span start to a later instant, subtracted exactly in nanoseconds. */
function nanosBetween(startNs: string, laterNs: bigint): number {
  return Number(laterNs - BigInt(startNs)) / 1e6;
}

function validMs(ms: number | undefined): number | null {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return null;
  // Kept to the microsecond: finer digits are only float noise from the unit conversions.
  return Math.round(ms * 1000) / 1000;
}
