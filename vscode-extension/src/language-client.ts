import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import type { EditorSettings } from '@spanlens/core/editor-protocol';
import { settingsSection } from './settings';

/** Languages the server annotates; `prompty` is contributed by this extension. */
export const annotatedLanguages = ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'yaml', 'prompty'] as const;

export interface LanguageClientConfig {
  /** Absolute path of the bundled server (`dist/server.js`). */
  serverModule: string;
  initializationOptions: EditorSettings;
}

/**
 * The client runs the bundled server over stdio, the same transport Neovim
 * or Helix use with `spanlens lsp --stdio`, so every editor exercises one
 * code path.
 */
export function createLanguageClient(config: LanguageClientConfig): LanguageClient {
  const serverOptions: ServerOptions = {
    run: { module: config.serverModule, transport: TransportKind.stdio },
    debug: { module: config.serverModule, transport: TransportKind.stdio, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: annotatedLanguages.map((language) => ({ scheme: 'file', language })),
    initializationOptions: config.initializationOptions,
    synchronize: { configurationSection: settingsSection },
  };
  return new LanguageClient('spanlens', 'Spanlens', serverOptions, clientOptions);
}
