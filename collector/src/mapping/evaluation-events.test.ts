import { describe, expect, it } from 'vitest';
import type { OtlpSpan, OtlpSpanEvent } from '../otlp/types';
import { evaluationFeedback } from './evaluation-events';

const event = (attributes: Record<string, string | number>, timeUnixNano = '1795300000000000000'): OtlpSpanEvent => ({
  name: 'gen_ai.evaluation.result',
  timeUnixNano,
  attributes: Object.entries(attributes).map(([key, value]) => ({
    key,
    value: typeof value === 'number' ? { type: 'double' as const, value } : { type: 'string' as const, value },
  })),
});
const span = (events: OtlpSpanEvent[]): OtlpSpan => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  parentSpanId: '',
  name: 'chat gpt-4o',
  kind: 3,
  startTimeUnixNano: '1795299999000000000',
  endTimeUnixNano: '1795299999500000000',
  attributes: [],
  status: { code: 0, message: '' },
  events,
});

describe('gen_ai.evaluation.result events as feedback', () => {
  it('turns a score or a pass/fail label into a vote by the evaluator on that span', () => {
    const feedback = evaluationFeedback(
      span([
        event({ 'gen_ai.evaluation.name': 'Relevance', 'gen_ai.evaluation.score.value': 0.8, 'gen_ai.evaluation.explanation': 'on topic' }),
        event({ 'gen_ai.evaluation.name': 'Toxicity', 'gen_ai.evaluation.score.label': 'Fail' }, '1795300001000000000'),
        { name: 'gen_ai.choice', timeUnixNano: '1', attributes: [] },
        event({ 'gen_ai.evaluation.name': 'Stars', 'gen_ai.evaluation.score.value': 4 }),
      ]),
    );
    expect(feedback).toEqual([
      {
        id: 'eval:b7ad6b7169203331:Relevance:1795300000000000000',
        trace_id: '0af7651916cd43dd8448eb211c80319c',
        span_id: 'b7ad6b7169203331',
        score: 0.8,
        user_id: 'evaluator:Relevance',
        comment: 'on topic',
        created_at: '2026-11-21T22:26:40.000Z',
      },
      expect.objectContaining({ score: -1, user_id: 'evaluator:Toxicity', created_at: '2026-11-21T22:26:41.000Z' }),
    ]);
  });
});
