/**
 * The LSP shapes of a document's items: code lenses, end-of-line inlay
 * hints, hovers, diagnostics and code actions. Pure conversions.
 */
import { editorCommands } from '@spanlens/core/editor-protocol';
import { CodeActionKind, DiagnosticSeverity, MarkupKind, type CodeAction, type CodeLens, type Diagnostic, type Hover, type InlayHint, type Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { DocumentItem } from '../live/document-items';
import type { LiveSnapshot } from '../live/live-snapshot';
import { promptDriftTests, promptIdOf } from '../live/live-snapshot';

export const diagnosticSource = 'spanlens';

export function codeLenses(items: readonly DocumentItem[]): CodeLens[] {
  return items.map((item) => ({
    range: { start: { line: item.line, character: item.character }, end: { line: item.line, character: item.character } },
    command: { title: item.text, command: editorCommands.openDashboard, arguments: [item.dashboardUrl] },
  }));
}

/** One hint at the end of each annotated line, the items of a line joined. */
export function inlayHints(items: readonly DocumentItem[], document: TextDocument, range: Range): InlayHint[] {
  const byLine = new Map<number, DocumentItem[]>();
  for (const item of items) {
    if (item.line < range.start.line || item.line > range.end.line) continue;
    byLine.set(item.line, [...(byLine.get(item.line) ?? []), item]);
  }
  return [...byLine].map(([line, lineItems]) => ({
    position: { line, character: lineLength(document, line) },
    label: lineItems.map((item) => item.text).join('  ·  '),
    paddingLeft: true,
    tooltip: { kind: MarkupKind.Markdown, value: lineItems.map((item) => item.hover).join('\n\n---\n\n') },
  }));
}

export function hover(items: readonly DocumentItem[], line: number): Hover | null {
  const onLine = items.filter((item) => item.line === line);
  if (onLine.length === 0) return null;
  return { contents: { kind: MarkupKind.Markdown, value: onLine.map((item) => item.hover).join('\n\n---\n\n') } };
}

/**
 * Warnings for prompts with a firing alert, information for prompts whose
 * traffic drifted; both link to the dashboard page that explains them.
 */
export function diagnostics(items: readonly DocumentItem[], document: TextDocument, snapshot: LiveSnapshot): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const item of items) {
    if (item.prompts.length === 0) continue;
    const range = { start: { line: item.line, character: item.character }, end: { line: item.line, character: lineLength(document, item.line) } };
    const ids = new Set(item.prompts.map(promptIdOf));
    for (const alert of snapshot.alerts) {
      const prompt = alert.labels.prompt;
      if (prompt === undefined || !(item.prompts.includes(prompt) || ids.has(prompt))) continue;
      found.push({
        range,
        severity: DiagnosticSeverity.Warning,
        source: diagnosticSource,
        code: `alert:${alert.rule}`,
        codeDescription: { href: `${dashboardBase(item.dashboardUrl)}/alerts?prompt=${encodeURIComponent(prompt)}` },
        message: `Spanlens alert ${alert.rule} (${alert.severity}) is firing for prompt ${prompt}: ${alert.summary}`,
        data: { url: item.dashboardUrl },
      });
    }
    for (const test of promptDriftTests(snapshot.drift, item.prompts)) {
      if (!test.drifted) continue;
      found.push({
        range,
        severity: DiagnosticSeverity.Information,
        source: diagnosticSource,
        code: `drift:${test.metric}`,
        codeDescription: { href: `${dashboardBase(item.dashboardUrl)}/drift?prompt=${encodeURIComponent(test.subject)}` },
        message: `Spanlens: the ${test.metric} of prompt ${test.subject} drifted against its reference window (KS D=${test.d.toFixed(3)}, adjusted p=${test.p_adjusted.toPrecision(2)})`,
        data: { url: item.dashboardUrl },
      });
    }
  }
  return found;
}

/** "Open in Spanlens dashboard" for each annotated line the range touches. */
export function codeActions(items: readonly DocumentItem[], range: Range, contextDiagnostics: readonly Diagnostic[]): CodeAction[] {
  return items
    .filter((item) => item.line >= range.start.line && item.line <= range.end.line)
    .map((item) => ({
      title: item.kind === 'callsite' ? 'Open this call site in the Spanlens dashboard' : `Open prompt ${item.prompts[0] ?? ''} in the Spanlens dashboard`,
      kind: CodeActionKind.QuickFix,
      diagnostics: contextDiagnostics.filter((diagnostic) => diagnostic.source === diagnosticSource && diagnostic.range.start.line === item.line),
      command: { title: 'Open in Spanlens dashboard', command: editorCommands.openDashboard, arguments: [item.dashboardUrl] },
    }));
}

function lineLength(document: TextDocument, line: number): number {
  const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
  return text.replace(/\r?\n$/, '').length;
}

function dashboardBase(url: string): string {
  return url.replace(/\/prompts\?.*$/, '');
}
