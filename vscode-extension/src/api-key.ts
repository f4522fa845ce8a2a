import { window, type Disposable, type ExtensionContext } from 'vscode';

/** The SecretStorage key under which the API key is kept (never in settings.json). */
export const apiKeySecret = 'spanlens.apiKey';

export const apiKeyCommands = {
  set: 'spanlens.setApiKey',
  clear: 'spanlens.clearApiKey',
} as const;

export function readApiKey(context: ExtensionContext): Thenable<string | undefined> {
  return context.secrets.get(apiKeySecret);
}

/** Asks for the key in a password box and stores it; resolves to whether it was stored. */
export async function promptAndStoreApiKey(context: ExtensionContext): Promise<boolean> {
  const value = await window.showInputBox({
    title: 'Spanlens API key',
    prompt: 'Kept in VS Code secret storage and sent only to the Spanlens language server.',
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined || value.trim() === '') return false;
  await context.secrets.store(apiKeySecret, value.trim());
  return true;
}

export function clearApiKey(context: ExtensionContext): Thenable<void> {
  return context.secrets.delete(apiKeySecret);
}

/**
 * Calls `onChange` with the current key whenever it changes, in this window
 * or in another one, so the server always has the key SecretStorage holds.
 */
export function watchApiKey(context: ExtensionContext, onChange: (apiKey: string | null) => void): Disposable {
  return context.secrets.onDidChange(async (event) => {
    if (event.key !== apiKeySecret) return;
    onChange((await readApiKey(context)) ?? null);
  });
}
