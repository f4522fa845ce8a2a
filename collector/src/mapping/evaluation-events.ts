import type { FeedbackInput } from '@spanlens/core';
import type { OtlpSpan } from '../otlp/types';
import { numberOf, textAt, toAttributeMap } from './attribute-lookup';

/** The GenAI semantic conventions' event carrying an evaluation of a model's answer. */
export const evaluationEventName = 'gen_ai.evaluation.result';

const positiveLabels = new Set(['pass', 'passed', 'positive', 'good', 'correct', 'relevant', 'true', 'yes', 'thumbs_up', 'up']);
const negativeLabels = new Set(['fail', 'failed', 'negative', 'bad', 'incorrect', 'irrelevant', 'false', 'no', 'thumbs_down', 'down']);

/**
 * Feedback from the `gen_ai.evaluation.result` events of a span: each event is
 * a vote on that span by its evaluator (`gen_ai.evaluation.name`), scored by
 * `gen_ai.evaluation.score.value` when it is 1, -1 or between 0 and 1, else
 * by a pass/fail style `gen_ai.evaluation.score.label`. An event with neither
 * is not feedback and is left out. The id is derived from the span, the
 * evaluator and the event's time, so a re-sent span repeats no vote.
 */
export function evaluationFeedback(span: OtlpSpan): FeedbackInput[] {
  const feedback: FeedbackInput[] = [];
  for (const event of span.events) {
    if (event.name !== evaluationEventName) continue;
    const attributes = toAttributeMap(event.attributes);
    const scoreValue = attributes.get('gen_ai.evaluation.score.value');
    const value = scoreValue ? numberOf(scoreValue) : undefined;
    const label = textAt(attributes, 'gen_ai.evaluation.score.label').trim().toLowerCase();
    const score =
      value !== undefined && (value === -1 || (value >= 0 && value <= 1)) ? value
      : positiveLabels.has(label) ? 1
      : negativeLabels.has(label) ? -1
      : undefined;
    if (score === undefined || !/^[0-9a-f]{32}$/.test(span.traceId) || !/^[0-9a-f]{16}$/.test(span.spanId)) continue;
    const evaluator = textAt(attributes, 'gen_ai.evaluation.name') || 'evaluation';
    const timeMs = Number(BigInt(event.timeUnixNano || '0') / 1_000_000n);
    feedback.push({
      id: `eval:${span.spanId}:${evaluator}:${event.timeUnixNano}`.slice(0, 128),
      trace_id: span.traceId,
      span_id: span.spanId,
      score,
      user_id: `evaluator:${evaluator}`.slice(0, 256),
      comment: textAt(attributes, 'gen_ai.evaluation.explanation').slice(0, 4000),
      ...(timeMs > 0 ? { created_at: new Date(timeMs).toISOString() } : {}),
    });
  }
  return feedback;
}
