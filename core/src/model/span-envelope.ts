import { z } from 'zod';
import { llmSpanSchema, type LlmSpan } from './span';

/**
 * The Kafka message of one normalised span. The version travels in every
 * message so that a worker of an older release can tell a message it does not
 * understand (and dead-letter it) from a broken one, and a newer release can
 * still read old messages during a rolling upgrade.
 */
export const spanEnvelopeVersion = 1;

export const spanEnvelopeSchema = z.object({
  schema_version: z.literal(spanEnvelopeVersion),
  span: llmSpanSchema,
});
export type SpanEnvelope = z.infer<typeof spanEnvelopeSchema>;

export function encodeSpanEnvelope(span: LlmSpan): string {
  return JSON.stringify({ schema_version: spanEnvelopeVersion, span });
}

export type DecodedEnvelope = { ok: true; span: LlmSpan } | { ok: false; error: string };

/** Reads one message value; the error says what was wrong and where, for the dead-letter topic. */
export function decodeSpanEnvelope(value: Buffer | string | null): DecodedEnvelope {
  if (value === null || value.length === 0) return { ok: false, error: 'empty message: expected a JSON span envelope' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (error) {
    return { ok: false, error: `not JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, error: 'expected a JSON object with schema_version and span' };
  }
  const version = (parsed as { schema_version?: unknown }).schema_version;
  if (version !== spanEnvelopeVersion) {
    return { ok: false, error: `unsupported schema_version ${JSON.stringify(version)}: this worker reads version ${spanEnvelopeVersion}` };
  }
  const result = spanEnvelopeSchema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    return { ok: false, error: `invalid span: ${issue?.path.join('.') || '(envelope)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, span: result.data.span };
}

/**
 * A batch of normalised spans that an ingest worker without storage of its
 * own hands to the process that owns the embedded store
 * (`POST /internal/v1/spans`).
 */
export const spanBatchSchema = z.object({
  schema_version: z.literal(spanEnvelopeVersion),
  spans: z.array(llmSpanSchema),
});
export type SpanBatch = z.infer<typeof spanBatchSchema>;
