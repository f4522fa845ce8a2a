/**
 * What the language server reads from the HTTP API and the custom LSP
 * messages it exchanges with editor clients. This file imports only zod, so
 * the VS Code extension and the bundled language server can use it without
 * pulling in storage (`@spanlens/core/editor-protocol`).
 */
import { z } from 'zod';

/** One call site (`file:line`) or prompt (`id@version`) in `GET /api/v1/annotations/callsites|prompts`. */
export const annotationRowSchema = z.object({
  key: z.string(),
  file: z.string().optional(),
  line: z.number().int().optional(),
  function: z.string().optional(),
  calls: z.number().int(),
  cost_usd: z.number(),
  /** Per priced call; null when every call was unpriced. */
  cost_per_call_usd: z.number().nullable(),
  unpriced_calls: z.number().int(),
  p95_ms: z.number(),
  error_rate: z.number(),
  tokens: z.object({ input: z.number(), output: z.number(), cached: z.number() }),
  models: z.array(z.object({ model: z.string(), calls: z.number().int(), cost_usd: z.number() })),
  previous_week: z.object({ calls: z.number().int(), cost_usd: z.number() }),
  satisfaction: z.object({ votes: z.number(), positive: z.number(), rate: z.number().nullable() }),
  /** Prompt keys (`id@version`) called from this call site in the window. */
  prompts: z.array(z.string()),
});
export type AnnotationRow = z.infer<typeof annotationRowSchema>;

export const annotationsReportSchema = z.object({
  subject: z.enum(['callsite', 'prompt']),
  from: z.string(),
  to: z.string(),
  rows: z.array(annotationRowSchema),
});
export type AnnotationsReport = z.infer<typeof annotationsReportSchema>;

/** Settings an editor passes (initializationOptions, or the `spanlens` configuration section). */
export const editorSettingsSchema = z.object({
  apiUrl: z.string().optional(),
  apiKey: z.string().optional(),
  /** Where "open dashboard" goes; the API URL when unset. */
  dashboardUrl: z.string().optional(),
  refreshIntervalSeconds: z.number().min(1).optional(),
  codeLens: z.boolean().optional(),
  inlayHints: z.boolean().optional(),
  diagnostics: z.boolean().optional(),
  /** Output tokens assumed for a before-it-ships estimate when production has no average. */
  expectedOutputTokens: z.number().int().min(0).optional(),
});
export type EditorSettings = z.infer<typeof editorSettingsSchema>;

/** Server → client notification: the one quiet status line (VS Code shows it in the status bar). */
export const statusNotification = 'spanlens/status';
export const editorStatusSchema = z.object({
  state: z.enum(['loading', 'ok', 'unreachable', 'unauthorized']),
  /** Short text, e.g. `Spanlens $51.70/24h` or `Spanlens: API unreachable`. */
  text: z.string(),
  tooltip: z.string(),
  /** The workspace's LLM spend over the last 24 h (call sites found in the workspace); null before the first answer. */
  spendUsd24h: z.number().nullable(),
  dashboardUrl: z.string(),
  /** When the figures were last fetched (ISO), null before the first answer. */
  fetchedAt: z.string().nullable(),
});
export type EditorStatus = z.infer<typeof editorStatusSchema>;

/** Client → server notification: the API key changed (VS Code keeps it in SecretStorage, not in settings). */
export const apiKeyNotification = 'spanlens/apiKey';
export const apiKeyParamsSchema = z.object({ apiKey: z.string().nullable() });

/** Commands the server executes (workspace/executeCommand); VS Code registers them from the server's capabilities. */
export const editorCommands = {
  refresh: 'spanlens.refresh',
  openDashboard: 'spanlens.openDashboard',
} as const;
