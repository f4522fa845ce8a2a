import type { WorkspaceConfiguration } from 'vscode';
import type { EditorSettings } from '@spanlens/core/editor-protocol';

/** The configuration section the extension contributes and the server reads. */
export const settingsSection = 'spanlens';

/**
 * Maps the `spanlens.*` settings to the server's `EditorSettings`. Unset
 * values (null, or an empty string) are left out rather than sent, so the
 * server applies its own defaults and environment fallbacks; every other
 * decision about them is the server's.
 */
export function readEditorSettings(config: WorkspaceConfiguration, apiKey: string | undefined): EditorSettings {
  const settings: EditorSettings = {};
  const apiUrl = nonEmptyString(config.get('apiUrl'));
  if (apiUrl !== undefined) settings.apiUrl = apiUrl;
  const dashboardUrl = nonEmptyString(config.get('dashboardUrl'));
  if (dashboardUrl !== undefined) settings.dashboardUrl = dashboardUrl;
  const refresh = config.get('refreshIntervalSeconds');
  if (typeof refresh === 'number') settings.refreshIntervalSeconds = refresh;
  const expectedOutputTokens = config.get('expectedOutputTokens');
  if (typeof expectedOutputTokens === 'number') settings.expectedOutputTokens = expectedOutputTokens;
  for (const flag of ['codeLens', 'inlayHints', 'diagnostics'] as const) {
    const value = config.get(flag);
    if (typeof value === 'boolean') settings[flag] = value;
  }
  if (apiKey) settings.apiKey = apiKey;
  return settings;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
