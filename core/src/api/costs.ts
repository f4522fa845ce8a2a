import { z } from 'zod';

export const costGroupings = ['feature', 'user', 'model', 'prompt', 'callsite'] as const;
export type CostGrouping = (typeof costGroupings)[number];

const isoTime = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time such as 2026-11-01T00:00:00Z' });

/** Query string of `GET /api/v1/costs`. */
export const costsQuerySchema = z
  .object({
    group_by: z.enum(costGroupings, { message: `must be one of ${costGroupings.join(', ')}` }),
    from: isoTime.optional(),
    to: isoTime.optional(),
  })
  .strict();

export const costRowSchema = z.object({
  /** feature, user id, model, `prompt_id@version` or `file:line`; "" when spans did not say. */
  key: z.string(),
  cost_usd: z.number(),
  calls: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  unpriced_calls: z.number().int(),
});

/** Body of `GET /api/v1/costs`. */
export const costReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  group_by: z.enum(costGroupings),
  total_cost_usd: z.number(),
  rows: z.array(costRowSchema),
});

export type CostRow = z.infer<typeof costRowSchema>;
export type CostReport = z.infer<typeof costReportSchema>;
