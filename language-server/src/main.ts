/**
 * Entry point of the Spanlens language server over stdio: `spanlens lsp
 * --stdio` and the VS Code extension's bundle both start this. The
 * environment is read here, once, for editors that pass no settings.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startLanguageServer } from './server/start-server';

startLanguageServer(createConnection(ProposedFeatures.all), {
  environment: { apiUrl: process.env.SPANLENS_API_URL, apiKey: process.env.SPANLENS_API_KEY },
});
