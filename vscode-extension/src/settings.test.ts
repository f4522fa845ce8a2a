import type { WorkspaceConfiguration } from 'vscode';
import { describe, expect, it } from 'vitest';
import { readEditorSettings } from './settings';

/** A stand-in for VS Code's configuration: `get` answers from a plain object. */
function configuration(values: Record<string, unknown>): WorkspaceConfiguration {
  return { get: (key: string) => values[key] } as unknown as WorkspaceConfiguration;
}

describe('readEditorSettings', () => {
  it('passes every set value and the key from secret storage', () => {
    const settings = readEditorSettings(
      configuration({ apiUrl: ' http://127.0.0.1:9999 ', dashboardUrl: 'http://dash.local', refreshIntervalSeconds: 5, codeLens: false, inlayHints: true, diagnostics: false, expectedOutputTokens: 400 }),
      'sl_key',
    );
    expect(settings).toEqual({ apiUrl: 'http://127.0.0.1:9999', dashboardUrl: 'http://dash.local', refreshIntervalSeconds: 5, codeLens: false, inlayHints: true, diagnostics: false, expectedOutputTokens: 400, apiKey: 'sl_key' });
  });

  it('leaves out unset values (null, empty strings, no key) so the server applies its defaults', () => {
    expect(readEditorSettings(configuration({ apiUrl: '', dashboardUrl: '  ', expectedOutputTokens: null, codeLens: undefined }), undefined)).toEqual({});
  });
});
