import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { repoRoot } from './spanlens-process';

/** What the server sent the client on its own, recorded in order. */
export interface ServerTraffic {
  codeLensRefreshes: number;
  inlayHintRefreshes: number;
  diagnostics: Map<string, Diagnostic[]>;
  statuses: Array<{ state: string; text: string; tooltip: string; spendUsd24h: number | null }>;
  logMessages: Array<{ type: number; message: string }>;
  shownDocuments: string[];
}

export interface LanguageClient {
  connection: ProtocolConnection;
  traffic: ServerTraffic;
  child: ChildProcess;
  stderr(): string;
  open(path: string, languageId: string, text: string): Promise<string>;
  stop(): Promise<void>;
}

/** An editor's capabilities: refresh requests, pull configuration, show documents. */
export const editorCapabilities: ClientCapabilities = {
  workspace: { configuration: true, codeLens: { refreshSupport: true }, inlayHint: { refreshSupport: true }, didChangeConfiguration: { dynamicRegistration: false } },
  textDocument: { codeLens: {}, inlayHint: {}, hover: { contentFormat: ['markdown'] }, publishDiagnostics: {}, codeAction: {} },
  window: { showDocument: { support: true } },
};

/**
 * Starts `pnpm spanlens lsp --stdio` the way an editor does (the command
 * the README gives, with nothing of pnpm's on stdout) and
 * speaks LSP to it with the protocol library VS Code's client is built on.
 */
export async function startLanguageClient(options: { workspace: string; initializationOptions: unknown; env?: Record<string, string>; capabilities?: ClientCapabilities }): Promise<LanguageClient> {
  const child = spawn('pnpm', ['spanlens', 'lsp', '--stdio'], { cwd: repoRoot, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const traffic: ServerTraffic = { codeLensRefreshes: 0, inlayHintRefreshes: 0, diagnostics: new Map(), statuses: [], logMessages: [], shownDocuments: [] };
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => null));
  connection.onRequest('workspace/codeLens/refresh', () => {
    traffic.codeLensRefreshes++;
    return null;
  });
  connection.onRequest('workspace/inlayHint/refresh', () => {
    traffic.inlayHintRefreshes++;
    return null;
  });
  connection.onRequest('window/showDocument', (params: { uri: string }) => {
    traffic.shownDocuments.push(params.uri);
    return { success: true };
  });
  connection.onNotification(PublishDiagnosticsNotification.method, (params: { uri: string; diagnostics: Diagnostic[] }) => {
    traffic.diagnostics.set(params.uri, params.diagnostics);
  });
  connection.onNotification('spanlens/status', (params: ServerTraffic['statuses'][number]) => {
    traffic.statuses.push(params);
  });
  connection.onNotification('window/logMessage', (params: { type: number; message: string }) => {
    traffic.logMessages.push(params);
  });
  connection.listen();

  const workspaceUri = pathToFileURL(options.workspace).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: workspaceUri,
    workspaceFolders: [{ uri: workspaceUri, name: 'sample' }],
    capabilities: options.capabilities ?? editorCapabilities,
    initializationOptions: options.initializationOptions,
  });
  await connection.sendNotification('initialized', {});

  return {
    connection,
    traffic,
    child,
    stderr: () => stderr,
    open: async (path, languageId, text) => {
      const uri = pathToFileURL(path).href;
      await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
      return uri;
    },
    stop: async () => {
      await connection.sendRequest('shutdown').catch(() => undefined);
      await connection.sendNotification('exit').catch(() => undefined);
      connection.dispose();
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}
