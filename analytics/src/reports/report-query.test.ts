import { describe, expect, it } from 'vitest';
import { parseCostReportRequest } from './report-query';

const now = new Date('2026-11-22T10:00:00Z');

describe('parseCostReportRequest', () => {
  it('defaults to the last 30 days as JSON', () => {
    const parsed = parseCostReportRequest({ by: 'feature' }, now);
    expect(parsed).toEqual({ ok: true, value: { by: 'feature', from: new Date('2026-10-23T10:00:00Z'), to: now, format: 'json' } });
  });

  it('names the parameter of a bad value', () => {
    expect(parseCostReportRequest({ by: 'callsite' }, now)).toEqual({ ok: false, error: 'by: must be one of feature, user, model, prompt' });
    expect(parseCostReportRequest({}, now)).toMatchObject({ ok: false, error: expect.stringMatching(/^by: /) });
    expect(parseCostReportRequest({ by: 'user', format: 'pdf' }, now)).toEqual({ ok: false, error: 'format: must be one of csv, json, html' });
    expect(parseCostReportRequest({ by: 'user', from: 'yesterday' }, now)).toMatchObject({ ok: false, error: expect.stringMatching(/^from: must be an ISO 8601/) });
    expect(parseCostReportRequest({ by: 'user', group_by: 'user' }, now)).toEqual({ ok: false, error: 'unknown parameter group_by' });
  });

  it('refuses a range that does not go forward', () => {
    expect(parseCostReportRequest({ by: 'model', from: '2026-11-02T00:00:00Z', to: '2026-11-01T00:00:00Z' }, now)).toEqual({
      ok: false,
      error: 'from (2026-11-02T00:00:00.000Z) must be before to (2026-11-01T00:00:00.000Z)',
    });
    expect(parseCostReportRequest({ by: 'model', from: '2026-11-22T10:00:00Z' }, now)).toMatchObject({ ok: false });
  });
});
