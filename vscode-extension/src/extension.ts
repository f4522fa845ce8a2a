/**
 * The Spanlens VS Code extension: a thin client that starts the bundled
 * Spanlens language server and maps settings, the API key and the status
 * line. Every decision about what to annotate and how lives in the server,
 * so Neovim, Helix or Zed users get the same annotations.
 */
import { commands, workspace, type ExtensionContext } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { apiKeyNotification, editorStatusSchema, statusNotification } from '@spanlens/core/editor-protocol';
import { apiKeyCommands, clearApiKey, promptAndStoreApiKey, readApiKey, watchApiKey } from './api-key';
import { createLanguageClient } from './language-client';
import { readEditorSettings, settingsSection } from './settings';
import { createStatusBarItem, showStatus } from './status-bar';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const statusItem = createStatusBarItem();
  context.subscriptions.push(statusItem);

  const apiKey = await readApiKey(context);
  const languageClient = createLanguageClient({
    serverModule: context.asAbsolutePath('dist/server.js'),
    initializationOptions: readEditorSettings(workspace.getConfiguration(settingsSection), apiKey),
  });
  client = languageClient;

  // `spanlens.refresh` and `spanlens.openDashboard` are not registered here:
  // the server lists them in executeCommandProvider and the language client
  // registers them, so registering them twice would fail.
  const sendApiKey = (key: string | null): void => {
    if (languageClient.isRunning()) void languageClient.sendNotification(apiKeyNotification, { apiKey: key });
  };
  context.subscriptions.push(
    commands.registerCommand(apiKeyCommands.set, async () => {
      if (await promptAndStoreApiKey(context)) sendApiKey((await readApiKey(context)) ?? null);
    }),
    commands.registerCommand(apiKeyCommands.clear, async () => {
      await clearApiKey(context);
      sendApiKey(null);
    }),
    watchApiKey(context, sendApiKey),
    languageClient.onNotification(statusNotification, (params: unknown) => {
      // A malformed status is ignored rather than shown half-filled.
      const status = editorStatusSchema.safeParse(params);
      if (status.success) showStatus(statusItem, status.data);
    }),
  );

  await languageClient.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
