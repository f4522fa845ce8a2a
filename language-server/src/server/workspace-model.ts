/**
 * Ties documents, workspace files and the live snapshot together and hands
 * out each document's items, computed once per (document version, data
 * generation) so lenses, hints, hovers and diagnostics read the same items.
 */
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isPromptFilePath } from '../source/prompt-file';
import { CallsiteIndex } from '../live/callsite-index';
import { documentItems, type DocumentItem, type DocumentKind } from '../live/document-items';
import { EstimatePricer } from '../live/estimate-pricer';
import { emptySnapshot, type LiveSnapshot } from '../live/live-snapshot';

export interface WorkspaceModelOptions {
  now: () => Date;
  dashboardUrl: () => string;
  expectedOutputTokens: () => number;
}

export class WorkspaceModel {
  private files = new Set<string>();
  /** Empty until the API first answers: estimates need no API. */
  private snapshot: LiveSnapshot = emptySnapshot;
  private index: CallsiteIndex | undefined;
  private generation = 0;
  /** Prices estimates with the server's overrides once it has answered. */
  private readonly pricer = new EstimatePricer();
  private readonly cache = new Map<string, { key: string; items: DocumentItem[] }>();

  constructor(private readonly options: WorkspaceModelOptions) {}

  setFiles(files: readonly string[]): void {
    this.files = new Set(files);
    this.invalidate();
  }

  setSnapshot(snapshot: LiveSnapshot): void {
    this.snapshot = snapshot;
    this.pricer.use(snapshot.prices);
    this.invalidate();
  }

  /** Settings that change what items say (dashboard URL, assumed output) invalidate them too. */
  invalidate(): void {
    this.index = undefined;
    this.generation++;
    this.cache.clear();
  }

  itemsOf(document: TextDocument): DocumentItem[] {
    const kind = documentKind(document);
    if (kind === undefined) return [];
    const key = `${document.version}:${this.generation}`;
    const cached = this.cache.get(document.uri);
    if (cached?.key === key) return cached.items;
    const path = pathOf(document.uri);
    const items = documentItems(
      { path, text: document.getText(), kind, callsiteRows: this.callsiteIndex(path).rowsOf(path), snapshot: this.snapshot },
      { pricer: this.pricer.current, now: this.options.now(), dashboardUrl: this.options.dashboardUrl(), expectedOutputTokens: this.options.expectedOutputTokens() },
    );
    this.cache.set(document.uri, { key, items });
    return items;
  }

  /** LLM spend over the window of the call sites found in this workspace. */
  workspaceSpend(): { matched: number; spendUsd: number; totalUsd: number } {
    const rows = this.callsiteIndex().matchedRows();
    return {
      matched: rows.length,
      spendUsd: rows.reduce((sum, row) => sum + row.cost_usd, 0),
      totalUsd: this.snapshot.callsites.reduce((sum, row) => sum + row.cost_usd, 0),
    };
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private callsiteIndex(openPath?: string): CallsiteIndex {
    // An open file outside the scanned list (past the cap, or just created) still matches.
    if (openPath !== undefined && !this.files.has(openPath)) {
      this.files.add(openPath);
      this.index = undefined;
    }
    this.index ??= new CallsiteIndex(this.snapshot.callsites, [...this.files]);
    return this.index;
  }
}

export function pathOf(uri: string): string {
  return uri.startsWith('file:') ? fileURLToPath(uri) : uri;
}

function documentKind(document: TextDocument): DocumentKind | undefined {
  switch (document.languageId) {
    case 'typescript':
    case 'typescriptreact':
      return 'typescript';
    case 'javascript':
    case 'javascriptreact':
      return 'javascript';
    case 'python':
      return 'python';
    default:
      return isPromptFilePath(pathOf(document.uri)) ? 'prompt-file' : undefined;
  }
}
