import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Connection, Diagnostic, TextDocuments } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { emptySnapshot, type LiveSnapshot } from '../live/live-snapshot';
import { DiagnosticsPublisher, THROTTLE_MS } from './diagnostics-publisher';
import { WorkspaceModel } from './workspace-model';

const uri = 'file:///w/prompts/support-reply.yaml';
const promptText = ['id: support-reply', 'version: 3', 'model: gpt-4o-mini', 'template: |-', '  Summarise the ticket.', ''].join('\n');
const firing = { rule: 'prompt-spend', state: 'firing', severity: 'warning', labels: { prompt: 'support-reply@3' }, summary: 'spending' };
const withAlert: LiveSnapshot = { ...emptySnapshot, alerts: [firing], fetchedAt: new Date('2026-01-01T00:00:00Z') };

/**
 * A real workspace model and a prompt file with a firing alert; the client is
 * a recorder of textDocument/publishDiagnostics, with the line of the
 * diagnostic and the clock (fake timers) when it was sent.
 */
function setUp() {
  let document = TextDocument.create(uri, 'yaml', 1, promptText);
  const sent: Array<{ at: number; version: number | undefined; lines: number[]; codes: unknown[] }> = [];
  const connection = {
    sendDiagnostics: (params: { version?: number; diagnostics: Diagnostic[] }) => {
      sent.push({ at: Date.now(), version: params.version, lines: params.diagnostics.map((d) => d.range.start.line), codes: params.diagnostics.map((d) => d.code) });
      return Promise.resolve();
    },
  } as unknown as Connection;
  const documents = { get: (u: string) => (u === uri ? document : undefined), all: () => [document] } as unknown as TextDocuments<TextDocument>;
  const model = new WorkspaceModel({ now: () => new Date('2026-01-01T00:00:00Z'), dashboardUrl: () => 'http://spanlens', expectedOutputTokens: () => 256 });
  let snapshot: LiveSnapshot = emptySnapshot;
  const publisher = new DiagnosticsPublisher(connection, documents, model, () => snapshot, () => true);
  return {
    publisher,
    sent,
    /** A keystroke: a new line typed at the top of the file, which moves the prompt (and its diagnostic) down one line. */
    typeLine: () => {
      document = TextDocument.update(document, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '#\n' }], document.version + 1);
      publisher.schedule(uri);
    },
    setSnapshot: (next: LiveSnapshot) => {
      snapshot = next;
      model.setSnapshot(next);
    },
  };
}

describe('DiagnosticsPublisher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('publishes a burst of edits within the period once, with the text as it is at the end of the period', () => {
    const { sent, typeLine, setSnapshot } = setUp();
    setSnapshot(withAlert);
    for (let i = 0; i < 5; i++) {
      typeLine();
      vi.advanceTimersByTime(90);
    }
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(THROTTLE_MS - 450);
    // Five lines typed above the prompt at line 0: the diagnostic is on line 5, of document version 6.
    expect(sent).toEqual([{ at: 500, version: 6, lines: [5], codes: ['alert:prompt-spend'] }]);
    vi.advanceTimersByTime(5_000);
    expect(sent).toHaveLength(1);
  });

  it('keeps up with continuous typing: one push per period, not one when typing stops', () => {
    const { sent, typeLine, setSnapshot } = setUp();
    setSnapshot(withAlert);
    // A keystroke every 100 ms for 2 s (a debounce of 500 ms would push nothing until the end).
    for (let t = 0; t < 2_000; t += 100) {
      typeLine();
      vi.advanceTimersByTime(100);
    }
    // Periods start at the keystrokes at 0, 500, 1000 and 1500 ms; each push
    // carries the lines typed by then (keystrokes at 0..400 → 5 lines, and so on).
    expect(sent.map(({ at, lines }) => [at, lines])).toEqual([
      [500, [5]],
      [1000, [10]],
      [1500, [15]],
      [2000, [20]],
    ]);
  });

  it('does not push diagnostics the client already has, and pushes again when they change after the period', () => {
    const { publisher, sent, typeLine, setSnapshot } = setUp();
    setSnapshot(withAlert);
    publisher.publishAll();
    expect(sent.map(({ at, lines }) => [at, lines])).toEqual([[0, [0]]]);

    // A refresh that changes nothing, and an edit that changes no diagnostic.
    publisher.publishAll();
    publisher.schedule(uri);
    vi.advanceTimersByTime(THROTTLE_MS * 3);
    expect(sent).toHaveLength(1);

    // The alert resolves: the next refresh clears the diagnostic at once.
    setSnapshot({ ...withAlert, alerts: [] });
    publisher.publishAll();
    expect(sent.map(({ at, lines }) => [at, lines])).toEqual([
      [0, [0]],
      [1500, []],
    ]);

    // It fires again and the user types: pushed one period after the edit.
    setSnapshot(withAlert);
    typeLine();
    vi.advanceTimersByTime(THROTTLE_MS - 1);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toEqual({ at: 2000, version: 2, lines: [1], codes: ['alert:prompt-spend'] });
  });

  it('on close clears the document at once and drops its pending push', () => {
    const { publisher, sent, typeLine, setSnapshot } = setUp();
    setSnapshot(withAlert);
    typeLine();
    publisher.clear(uri);
    vi.advanceTimersByTime(THROTTLE_MS * 2);
    expect(sent.map(({ at, lines }) => [at, lines])).toEqual([[0, []]]);
  });
});
