/**
 * Response shapes of `GET /api/v1/alerts` and `GET /api/v1/silences`: the
 * alerts package answers with them, and the dashboard and the language server
 * read them. Only zod, so browser and editor bundles can import it
 * (`@spanlens/core/api/alerts`).
 */
import { z } from 'zod';

const isoOrNull = z.string().nullable();

export const alertViewSchema = z.object({
  fingerprint: z.string(),
  rule: z.string(),
  labels: z.record(z.string(), z.string()),
  severity: z.string(),
  /** inactive, pending, firing or no_data. */
  state: z.string(),
  value: z.number().nullable(),
  baseline: z.number().nullable(),
  active_since: isoOrNull,
  firing_since: isoOrNull,
  cleared_since: isoOrNull,
  resolved_at: isoOrNull,
  last_evaluated: isoOrNull,
  last_notified: isoOrNull,
  summary: z.string(),
  description: z.string(),
});
export type AlertView = z.infer<typeof alertViewSchema>;

/** `GET /api/v1/alerts`: active alerts, and those resolved in the last 24 h. */
export const alertsResponseSchema = z.object({ active: z.array(alertViewSchema), recent: z.array(alertViewSchema) });
export type AlertsResponse = z.infer<typeof alertsResponseSchema>;

export const silenceViewSchema = z.object({
  id: z.string(),
  matchers: z.array(z.object({ name: z.string(), value: z.string(), regex: z.boolean().optional() })),
  starts_at: z.string(),
  ends_at: z.string(),
  created_by: z.string(),
  comment: z.string(),
  status: z.enum(['pending', 'active', 'expired']),
});
export type SilenceView = z.infer<typeof silenceViewSchema>;
