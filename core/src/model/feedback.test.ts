import { describe, expect, it } from 'vitest';
import { normaliseFeedback, parseFeedbackBody } from './feedback';

const trace = '0AF7651916CD43DD8448EB211C80319C';
const at = new Date('2026-11-22T12:00:00Z');

describe('feedback', () => {
  it('takes one item or an array, lower-cases ids and fills in the time', () => {
    const one = parseFeedbackBody({ trace_id: trace, score: 1 }, at);
    expect(one).toEqual({
      ok: true,
      feedback: [{ feedback_id: expect.stringMatching(/^[0-9a-f]{32}$/), trace_id: trace.toLowerCase(), span_id: '', user_id: '', score: 1, comment: '', created_at_ms: at.getTime(), received_at_ms: at.getTime() }],
    });
    const many = parseFeedbackBody(
      [
        { trace_id: trace, span_id: 'B7AD6B7169203331', score: -1, user_id: 'u1', comment: 'wrong answer', created_at: '2026-11-22T11:59:00+01:00' },
        { trace_id: trace, score: 0.75, id: 'rating-7' },
      ],
      at,
    );
    expect(many.ok && many.feedback.map((f) => [f.span_id, f.score, f.created_at_ms, f.feedback_id])).toEqual([
      ['b7ad6b7169203331', -1, Date.parse('2026-11-22T10:59:00Z'), expect.any(String)],
      ['', 0.75, at.getTime(), 'rating-7'],
    ]);
  });

  it('gives a user one vote per call: the same user and call make the same id, another user another id', () => {
    const vote = (user: string, score: number) => normaliseFeedback({ trace_id: trace, span_id: 'b7ad6b7169203331', user_id: user, score }, at).feedback_id;
    expect(vote('u1', 1)).toBe(vote('u1', -1));
    expect(vote('u1', 1)).not.toBe(vote('u2', 1));
  });

  it('names the item and the field that is wrong', () => {
    expect(parseFeedbackBody([{ trace_id: trace, score: 1 }, { trace_id: trace, score: 2 }], at)).toEqual({
      ok: false,
      error: '[1].score: expected 1 (thumbs up), -1 (thumbs down) or a rating between 0 and 1',
    });
    expect(parseFeedbackBody({ trace_id: 'abc', score: 1 }, at)).toEqual({ ok: false, error: 'trace_id: expected the 32 hex characters of a trace id' });
    expect(parseFeedbackBody({ trace_id: trace }, at)).toMatchObject({ ok: false, error: expect.stringMatching(/^score: /) });
    expect(parseFeedbackBody({ trace_id: trace, score: 1, stars: 5 }, at)).toMatchObject({ ok: false, error: expect.stringMatching(/stars/) });
    expect(parseFeedbackBody([], at)).toEqual({ ok: false, error: 'expected a feedback object or a non-empty array of them' });
    expect(parseFeedbackBody({ trace_id: trace, score: 1, created_at: 'yesterday' }, at)).toMatchObject({ ok: false, error: expect.stringMatching(/^created_at: /) });
    // ClickHouse refuses a time outside the stored range, and with it the whole insert (see time-range.ts).
    expect(parseFeedbackBody({ trace_id: trace, score: 1, created_at: '1970-01-01T00:00:00Z' }, at)).toEqual({ ok: false, error: 'created_at: expected a time between 2001-09-09 and 2262-04-11' });
    expect(parseFeedbackBody({ trace_id: trace, score: 1, created_at: '9999-12-31T00:00:00Z' }, at)).toEqual({ ok: false, error: 'created_at: expected a time between 2001-09-09 and 2262-04-11' });
  });
});
