import { editorSettingsSchema, type EditorSettings } from '@spanlens/core/editor-protocol';

export interface ServerSettings {
  apiUrl: string;
  apiKey: string | undefined;
  dashboardUrl: string;
  refreshMs: number;
  codeLens: boolean;
  inlayHints: boolean;
  diagnostics: boolean;
  expectedOutputTokens: number;
}

export const defaultApiUrl = 'http://127.0.0.1:4318';

/**
 * Settings in order of precedence: what the editor sent (initialization
 * options, then the `spanlens` configuration section), then the server's
 * environment (`SPANLENS_API_URL` / `SPANLENS_API_KEY`, for editors that pass
 * nothing), then defaults. Invalid values are dropped one by one with a
 * message, so one typo does not throw away the rest.
 */
export function resolveSettings(layers: readonly unknown[], environment: { apiUrl?: string | undefined; apiKey?: string | undefined }): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const merged: EditorSettings = {};
  for (const layer of [...layers].reverse()) Object.assign(merged, validLayer(layer, problems));
  const apiUrl = trimSlash(merged.apiUrl ?? environment.apiUrl ?? defaultApiUrl);
  return {
    settings: {
      apiUrl,
      apiKey: merged.apiKey || environment.apiKey || undefined,
      dashboardUrl: trimSlash(merged.dashboardUrl ?? apiUrl),
      refreshMs: (merged.refreshIntervalSeconds ?? 30) * 1000,
      codeLens: merged.codeLens ?? true,
      inlayHints: merged.inlayHints ?? true,
      diagnostics: merged.diagnostics ?? true,
      expectedOutputTokens: merged.expectedOutputTokens ?? 256,
    },
    problems,
  };
}

function validLayer(layer: unknown, problems: string[]): EditorSettings {
  if (layer === null || layer === undefined || typeof layer !== 'object') return {};
  const valid: Record<string, unknown> = {};
  const shape = editorSettingsSchema.shape as Record<string, { safeParse(value: unknown): { success: boolean; error?: { issues: { message: string }[] } } }>;
  for (const [key, value] of Object.entries(layer as Record<string, unknown>)) {
    const schema = shape[key];
    if (!schema || value === null || value === undefined || value === '') continue;
    const result = schema.safeParse(value);
    if (result.success) valid[key] = value;
    else problems.push(`spanlens.${key}: ${result.error?.issues[0]?.message ?? 'invalid value'} (got ${JSON.stringify(value)}); using the default`);
  }
  return valid as EditorSettings;
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
