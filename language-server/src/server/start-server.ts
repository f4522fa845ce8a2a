/**
 * The Spanlens language server: wires the LSP connection to the workspace
 * model and the live data. Requests are answered from memory at once; the
 * API is polled in the background, and when figures change the client is
 * asked to refresh lenses and hints, and diagnostics are pushed again.
 */
import { apiKeyNotification, apiKeyParamsSchema, editorCommands } from '@spanlens/core/editor-protocol';
import { MessageType, TextDocuments, TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeParams, type InitializeResult } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ApiReader } from '../live/api-reader';
import { LiveData } from '../live/live-data';
import { listWorkspaceFiles } from '../live/workspace-files';
import { DiagnosticsPublisher } from './diagnostics-publisher';
import { codeActions, codeLenses, hover, inlayHints } from './editor-features';
import { resolveSettings, type ServerSettings } from './settings';
import { StatusReporter } from './status-reporter';
import { pathOf, WorkspaceModel } from './workspace-model';

export interface LanguageServerOptions {
  /** SPANLENS_API_URL / SPANLENS_API_KEY of the server's environment, read by the entry point. */
  environment: { apiUrl?: string | undefined; apiKey?: string | undefined };
  now?: () => Date;
  fetch?: typeof fetch;
}

/** How often the list of workspace files is walked again, so new files can be matched. */
const RESCAN_MS = 60_000;

export function startLanguageServer(connection: Connection, options: LanguageServerOptions): void {
  const now = options.now ?? (() => new Date());
  const documents = new TextDocuments(TextDocument);
  let capabilities: ClientCapabilities = {};
  let layers: { init: unknown; configuration: unknown; apiKey: string | null | undefined } = { init: undefined, configuration: undefined, apiKey: undefined };
  let settings: ServerSettings = resolveSettings([], options.environment).settings;
  let roots: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  let lastScan = 0;

  const readerFor = (s: ServerSettings) => new ApiReader({ apiUrl: s.apiUrl, apiKey: s.apiKey, timeoutMs: Math.min(10_000, Math.max(2_000, s.refreshMs)), ...(options.fetch ? { fetch: options.fetch } : {}) });
  const live = new LiveData(readerFor(settings));
  const model = new WorkspaceModel({ now, dashboardUrl: () => settings.dashboardUrl, expectedOutputTokens: () => settings.expectedOutputTokens });
  const publisher = new DiagnosticsPublisher(connection, documents, model, () => live.snapshot, () => settings.diagnostics);
  const status = new StatusReporter(connection, () => settings, () => model.workspaceSpend(), () => live.snapshot.fetchedAt);

  const applySettings = () => {
    const resolved = resolveSettings([layers.apiKey === undefined ? {} : { apiKey: layers.apiKey ?? '' }, layers.configuration, layers.init], options.environment);
    for (const problem of resolved.problems) connection.console.warn(problem);
    const previous = settings;
    settings = resolved.settings;
    if (previous.apiUrl !== settings.apiUrl || previous.apiKey !== settings.apiKey) live.useReader(readerFor(settings));
    model.invalidate();
    schedule(0);
  };

  const askClientToRefresh = () => {
    if (capabilities.workspace?.codeLens?.refreshSupport) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    if (capabilities.workspace?.inlayHint?.refreshSupport) void connection.languages.inlayHint.refresh().catch(() => undefined);
    publisher.publishAll();
  };

  const poll = async () => {
    if (Date.now() - lastScan > RESCAN_MS && roots.length > 0) {
      lastScan = Date.now();
      model.setFiles(await listWorkspaceFiles(roots));
    }
    const result = await live.refresh(now);
    if (result.dataChanged) model.setSnapshot(live.snapshot);
    status.report(live.state);
    if (result.dataChanged || result.stateChanged) askClientToRefresh();
  };

  function schedule(delayMs: number): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      poll()
        .catch((error: unknown) => connection.console.error(`Spanlens refresh failed: ${error instanceof Error ? error.stack : String(error)}`))
        .finally(() => schedule(settings.refreshMs));
    }, delayMs);
  }

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    capabilities = params.capabilities;
    layers = { ...layers, init: params.initializationOptions };
    settings = resolveSettings([params.initializationOptions], options.environment).settings;
    live.useReader(readerFor(settings));
    roots = (params.workspaceFolders ?? []).map((folder) => pathOf(folder.uri));
    if (roots.length === 0 && params.rootUri) roots = [pathOf(params.rootUri)];
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        hoverProvider: true,
        codeActionProvider: true,
        executeCommandProvider: { commands: [editorCommands.refresh, editorCommands.openDashboard] },
      },
      serverInfo: { name: 'spanlens-language-server', version: '0.1.0' },
    };
  });

  connection.onInitialized(async () => {
    if (capabilities.workspace?.configuration) {
      const [section] = (await connection.workspace.getConfiguration([{ section: 'spanlens' }]).catch(() => [undefined])) as unknown[];
      layers = { ...layers, configuration: section };
    }
    applySettings();
  });

  connection.onDidChangeConfiguration((params) => {
    const section = (params.settings as { spanlens?: unknown } | null)?.spanlens;
    if (section !== undefined) layers = { ...layers, configuration: section };
    applySettings();
  });

  connection.onNotification(apiKeyNotification, (params: unknown) => {
    const parsed = apiKeyParamsSchema.safeParse(params);
    if (!parsed.success) return connection.console.warn(`${apiKeyNotification}: expected { apiKey: string | null }`);
    layers = { ...layers, apiKey: parsed.data.apiKey };
    applySettings();
  });

  const itemsOf = (uri: string) => {
    const document = documents.get(uri);
    return document ? { document, items: model.itemsOf(document) } : undefined;
  };
  connection.onCodeLens(({ textDocument }) => (settings.codeLens ? codeLenses(itemsOf(textDocument.uri)?.items ?? []) : []));
  connection.languages.inlayHint.on(({ textDocument, range }) => {
    const found = itemsOf(textDocument.uri);
    return settings.inlayHints && found ? inlayHints(found.items, found.document, range) : [];
  });
  connection.onHover(({ textDocument, position }) => hover(itemsOf(textDocument.uri)?.items ?? [], position.line));
  connection.onCodeAction(({ textDocument, range, context }) => codeActions(itemsOf(textDocument.uri)?.items ?? [], range, context.diagnostics));

  connection.onExecuteCommand(async ({ command, arguments: args }) => {
    if (command === editorCommands.refresh) {
      if (timer) clearTimeout(timer);
      await poll();
      schedule(settings.refreshMs);
      return status.current();
    }
    if (command === editorCommands.openDashboard) {
      const url = typeof args?.[0] === 'string' ? args[0] : settings.dashboardUrl;
      if (capabilities.window?.showDocument?.support) return connection.window.showDocument({ uri: url, external: true });
      connection.sendNotification('window/showMessage', { type: MessageType.Info, message: `Spanlens dashboard: ${url}` });
      return undefined;
    }
    return undefined;
  });

  documents.onDidChangeContent(({ document }) => publisher.schedule(document.uri));
  documents.onDidClose(({ document }) => {
    model.forget(document.uri);
    publisher.clear(document.uri);
  });
  connection.onShutdown(() => {
    if (timer) clearTimeout(timer);
    publisher.dispose();
  });

  documents.listen(connection);
  connection.listen();
}
