import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LiveSnapshot } from '../live/live-snapshot';
import { diagnostics } from './editor-features';
import type { WorkspaceModel } from './workspace-model';

/** Edits within this period after a change are published together. */
export const THROTTLE_MS = 500;

/**
 * Pushes Spanlens diagnostics for open documents: after edits throttled, per
 * document at most once per period and at most one period after a change;
 * after a refresh of the figures at once; and always only when they differ
 * from what the client already has, so a refresh that changes nothing sends
 * nothing.
 */
export class DiagnosticsPublisher {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly sent = new Map<string, string>();

  constructor(
    private readonly connection: Connection,
    private readonly documents: TextDocuments<TextDocument>,
    private readonly model: WorkspaceModel,
    private readonly snapshot: () => LiveSnapshot,
    private readonly enabled: () => boolean,
  ) {}

  /**
   * A throttle, not a debounce: the first change starts the period and later
   * changes join it, so while the user keeps typing diagnostics still follow
   * the text every period instead of waiting for a pause that may not come.
   */
  schedule(uri: string): void {
    if (this.timers.has(uri)) return;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.publish(uri);
      }, THROTTLE_MS),
    );
  }

  publishAll(): void {
    for (const document of this.documents.all()) this.publish(document.uri);
  }

  clear(uri: string): void {
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.sent.delete(uri);
    void this.connection.sendDiagnostics({ uri, diagnostics: [] });
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private publish(uri: string): void {
    const document = this.documents.get(uri);
    if (!document) return;
    const found: Diagnostic[] = this.enabled() ? diagnostics(this.model.itemsOf(document), document, this.snapshot()) : [];
    const fingerprint = JSON.stringify(found);
    if (this.sent.get(uri) === fingerprint) return;
    this.sent.set(uri, fingerprint);
    void this.connection.sendDiagnostics({ uri, version: document.version, diagnostics: found });
  }
}
