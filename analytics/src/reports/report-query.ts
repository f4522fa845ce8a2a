import { z } from 'zod';

/** The groupings a finance report is made for (call sites are a developer's view, not a finance one). */
export const reportGroupings = ['feature', 'user', 'model', 'prompt'] as const;
export type ReportGrouping = (typeof reportGroupings)[number];

export const reportFormats = ['csv', 'json', 'html'] as const;
export type ReportFormat = (typeof reportFormats)[number];

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });

/**
 * Query string of `GET /api/v1/reports/cost`, and the options of
 * `spanlens report cost`. (A contract shared by the API and the CLI: it
 * belongs beside costsQuerySchema in core once core takes it.)
 */
export const costReportQuerySchema = z
  .object({
    by: z.enum(reportGroupings, { message: `must be one of ${reportGroupings.join(', ')}` }),
    from: isoTime.optional(),
    to: isoTime.optional(),
    format: z.enum(reportFormats, { message: `must be one of ${reportFormats.join(', ')}` }).default('json'),
  })
  .strict();

/** A report request with its range resolved. */
export interface CostReportRequest {
  by: ReportGrouping;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  format: ReportFormat;
}

/** The range when neither end is given: the last 30 days. */
export const defaultReportDays = 30;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * Validates a report request (query string or CLI options) and resolves its
 * range: `to` defaults to now, `from` to 30 days before `to`. A bad value is
 * an expected failure whose message names the parameter.
 */
export function parseCostReportRequest(input: unknown, now: Date): { ok: true; value: CostReportRequest } | { ok: false; error: string } {
  const parsed = costReportQuerySchema.safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}` : `${issue.path.join('.') || 'query'}: ${issue.message}`,
    );
    return { ok: false, error: problems.join('; ') };
  }
  const to = parsed.data.to ? new Date(parsed.data.to) : now;
  const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - defaultReportDays * dayMs);
  if (from.getTime() >= to.getTime()) {
    return { ok: false, error: `from (${from.toISOString()}) must be before to (${to.toISOString()})` };
  }
  return { ok: true, value: { by: parsed.data.by, from, to, format: parsed.data.format } };
}
