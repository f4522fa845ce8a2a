import { createHash } from 'node:crypto';
import { z } from 'zod';
import { msInStoredRange } from './time-range';

/**
 * User feedback on an LLM answer, as `POST /v1/feedback` takes it: a thumbs
 * up (1) or down (-1), or a rating between 0 and 1.
 */
export const feedbackInputSchema = z
  .object({
    /** An idempotency key; without one, a user's later vote on the same call replaces the earlier. */
    id: z.string().min(1).max(128).optional(),
    trace_id: z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected the 32 hex characters of a trace id'),
    span_id: z.string().regex(/^[0-9a-fA-F]{16}$/, 'expected the 16 hex characters of a span id').optional(),
    score: z.number().refine((score) => score === -1 || (score >= 0 && score <= 1), 'expected 1 (thumbs up), -1 (thumbs down) or a rating between 0 and 1'),
    user_id: z.string().max(256).optional(),
    comment: z.string().max(4000).optional(),
    /** When the user gave the feedback; the time it arrived when absent. */
    created_at: z.iso
      .datetime({ offset: true })
      .refine((text) => msInStoredRange(Date.parse(text)), 'expected a time between 2001-09-09 and 2262-04-11')
      .optional(),
  })
  .strict();
export type FeedbackInput = z.infer<typeof feedbackInputSchema>;

/** Feedback as stored and as carried on the feedback topic. */
export const feedbackSchema = z.object({
  feedback_id: z.string().min(1),
  trace_id: z.string().regex(/^[0-9a-f]{32}$/),
  span_id: z.string(),
  user_id: z.string(),
  score: z.number().min(-1).max(1),
  comment: z.string(),
  /** Milliseconds since the Unix epoch. */
  created_at_ms: z.number().int().refine(msInStoredRange, 'outside the times stored (2001-09-09 to 2262-04-11)'),
  /**
   * When the collector received it: the version of the row, so a user's later
   * vote replaces an earlier one however the two travel (Kafka redelivery
   * keeps the original time, so a repeat changes nothing).
   */
  received_at_ms: z.number().int().refine(msInStoredRange, 'outside the times stored (2001-09-09 to 2262-04-11)'),
});
export type Feedback = z.infer<typeof feedbackSchema>;

/** Fills in the id and times; ids are lower-cased so that one call has one key. */
export function normaliseFeedback(input: FeedbackInput, receivedAt: Date): Feedback {
  const traceId = input.trace_id.toLowerCase();
  const spanId = input.span_id?.toLowerCase() ?? '';
  const userId = input.user_id ?? '';
  const feedbackId = input.id ?? createHash('sha256').update(`${traceId}\u0000${spanId}\u0000${userId}`).digest('hex').slice(0, 32);
  return {
    feedback_id: feedbackId,
    trace_id: traceId,
    span_id: spanId,
    user_id: userId,
    score: input.score,
    comment: input.comment ?? '',
    created_at_ms: input.created_at ? Date.parse(input.created_at) : receivedAt.getTime(),
    received_at_ms: receivedAt.getTime(),
  };
}

export type ParsedFeedback = { ok: true; feedback: Feedback[] } | { ok: false; error: string };

/** Validates one item or an array of them; the error names the item and field. */
export function parseFeedbackBody(body: unknown, receivedAt: Date, maxItems = 1000): ParsedFeedback {
  const items = Array.isArray(body) ? body : [body];
  if (items.length === 0) return { ok: false, error: 'expected a feedback object or a non-empty array of them' };
  if (items.length > maxItems) return { ok: false, error: `at most ${maxItems} feedback items per request; got ${items.length}` };
  const feedback: Feedback[] = [];
  for (const [index, item] of items.entries()) {
    const result = feedbackInputSchema.safeParse(item);
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = [Array.isArray(body) ? `[${index}]` : '', ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
      return { ok: false, error: `${where || '(body)'}: ${issue?.message ?? 'invalid'}` };
    }
    feedback.push(normaliseFeedback(result.data, receivedAt));
  }
  return { ok: true, feedback };
}
