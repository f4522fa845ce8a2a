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

export const seriesIntervals = ['hour', 'day', 'month'] as const;
export type SeriesInterval = (typeof seriesIntervals)[number];

/** Query string of `GET /api/v1/costs/series`: the hourly, daily or monthly rollups. */
export const costSeriesQuerySchema = costsQuerySchema.extend({
  interval: z.enum(seriesIntervals, { message: `must be one of ${seriesIntervals.join(', ')}` }).default('day'),
});

export const costSeriesPointSchema = z.object({
  /** Start of the UTC hour, day or month. */
  start: z.string(),
  key: z.string(),
  cost_usd: z.number(),
  calls: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cache_read_tokens: z.number().int(),
  reasoning_tokens: z.number().int(),
  unpriced_calls: z.number().int(),
  errors: z.number().int(),
  error_rate: z.number(),
  /** Mean exact; quantiles from merged t-digests. */
  latency_ms: z.object({ mean: z.number(), p50: z.number(), p95: z.number(), p99: z.number() }),
});

/** Body of `GET /api/v1/costs/series`. */
export const costSeriesSchema = z.object({
  from: z.string(),
  to: z.string(),
  group_by: z.enum(costGroupings),
  interval: z.enum(seriesIntervals),
  total_cost_usd: z.number(),
  points: z.array(costSeriesPointSchema),
});
export type CostSeries = z.infer<typeof costSeriesSchema>;
