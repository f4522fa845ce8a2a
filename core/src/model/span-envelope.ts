import { z } from 'zod';
import { feedbackSchema, type Feedback } from './feedback';
import { isStoredSpan, llmSpanSchema, type LlmSpan } from './span';

/**
 * The Kafka messages: one normalised span, or one feedback item, per message.
 * The version travels in every message so that a worker of an older release
 * can tell a message it does not understand (and dead-letter it) from a
 * broken one, and a newer release can still read old messages during a
 * rolling upgrade.
 */
export const spanEnvelopeVersion = 1;

export const spanEnvelopeSchema = z.object({
  schema_version: z.literal(spanEnvelopeVersion),
  span: llmSpanSchema,
});
export type SpanEnvelope = z.infer<typeof spanEnvelopeSchema>;

export const feedbackEnvelopeSchema = z.object({
  schema_version: z.literal(spanEnvelopeVersion),
  feedback: feedbackSchema,
});

export function encodeSpanEnvelope(span: LlmSpan): string {
  return JSON.stringify({ schema_version: spanEnvelopeVersion, span });
}

export function encodeFeedbackEnvelope(feedback: Feedback): string {
  return JSON.stringify({ schema_version: spanEnvelopeVersion, feedback });
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; error: string };
export type DecodedEnvelope = Decoded<LlmSpan>;

/** Reads one span message; the error says what was wrong and where, for the dead-letter topic. */
export function decodeSpanEnvelope(value: Buffer | string | null): Decoded<LlmSpan> {
  return decodeEnvelope(value, 'span', spanEnvelopeSchema, (envelope) => envelope.span, isStoredSpanEnvelope);
}

/** The quick yes of `isStoredSpan` for a whole envelope: `{ schema_version, span }` and nothing else. */
function isStoredSpanEnvelope(envelope: object): boolean {
  let keys = 0;
  for (const key in envelope) {
    if (key !== 'schema_version' && key !== 'span') return false;
    keys += 1;
  }
  return keys === 2 && isStoredSpan((envelope as { span?: unknown }).span);
}

/** Reads one feedback message, like decodeSpanEnvelope. */
export function decodeFeedbackEnvelope(value: Buffer | string | null): Decoded<Feedback> {
  return decodeEnvelope(value, 'feedback', feedbackEnvelopeSchema, (envelope) => envelope.feedback);
}

function decodeEnvelope<S extends z.ZodType, T>(
  value: Buffer | string | null,
  field: string,
  schema: S,
  pick: (envelope: z.infer<S>) => T,
  /** A quick check that accepts only what `schema` accepts unchanged; zod decides the rest and names the error. */
  accepted?: (envelope: object) => boolean,
): Decoded<T> {
  if (value === null || value.length === 0) return { ok: false, error: `empty message: expected a JSON ${field} envelope` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: `expected a JSON object with schema_version and ${field}` };
  }
  const version = (parsed as { schema_version?: unknown }).schema_version;
  if (version !== spanEnvelopeVersion) {
    return { ok: false, error: `unsupported schema_version ${JSON.stringify(version)}: this worker reads version ${spanEnvelopeVersion}` };
  }
  if (accepted?.(parsed)) return { ok: true, value: pick(parsed as z.infer<S>) };
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, error: `invalid ${field}: ${issue?.path.join('.') || '(envelope)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, value: pick(result.data) };
}

/**
 * A batch of normalised spans that an ingest worker without storage of its
 * own hands to the process that owns the embedded store
 * (`POST /internal/v1/spans`), and likewise feedback (`/internal/v1/feedback`).
 */
export const spanBatchSchema = z.object({
  schema_version: z.literal(spanEnvelopeVersion),
  spans: z.array(llmSpanSchema),
});
export type SpanBatch = z.infer<typeof spanBatchSchema>;

export const feedbackBatchSchema = z.object({
  schema_version: z.literal(spanEnvelopeVersion),
  feedback: z.array(feedbackSchema),
});
