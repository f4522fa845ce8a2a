import { TextDocument } from 'vscode-languageserver-textdocument';
import { describe, expect, it } from 'vitest';
import type { DocumentItem } from '../live/document-items';
import { emptySnapshot } from '../live/live-snapshot';
import { codeActions, diagnostics, inlayHints } from './editor-features';
import { resolveSettings } from './settings';

const document = TextDocument.create('file:///w/a.ts', 'typescript', 1, ['const a = 1;', "  call('x'); // end", ''].join('\n'));
const item = (values: Partial<DocumentItem>): DocumentItem => ({ line: 1, character: 2, kind: 'callsite', text: '$0.01/call', hover: 'h', prompts: ['support@3'], dashboardUrl: 'http://s/prompts?callsite=a.ts%3A2', ...values });

describe('diagnostics', () => {
  it('warns of a firing alert on any version of the prompt and informs of drift of its id (the drift job tests an id across versions), linking to the dashboard', () => {
    const snapshot = {
      ...emptySnapshot,
      alerts: [{ rule: 'satisfaction-low', state: 'firing', severity: 'critical', labels: { prompt: 'support' }, summary: 'support: 41% positive' }, { rule: 'other', state: 'firing', severity: 'warning', labels: { prompt: 'billing@1' }, summary: 'x' }],
      drift: [
        // GET /api/v1/drift names a prompt by its id: support@3's line gets support's drift.
        { subject_kind: 'prompt', subject: 'support', metric: 'output_tokens', d: 0.4213, p_adjusted: 0.000123, drifted: true },
        { subject_kind: 'prompt', subject: 'support', metric: 'latency_ms', d: 0.01, p_adjusted: 0.9, drifted: false },
        { subject_kind: 'prompt', subject: 'billing', metric: 'output_tokens', d: 0.5, p_adjusted: 0.001, drifted: true },
        { subject_kind: 'feature', subject: 'support', metric: 'cost_per_call_usd', d: 0.5, p_adjusted: 0.001, drifted: true },
      ],
    };
    const found = diagnostics([item({})], document, snapshot);
    expect(found.map((d) => [d.severity, d.code, d.range, d.codeDescription?.href])).toEqual([
      [2, 'alert:satisfaction-low', { start: { line: 1, character: 2 }, end: { line: 1, character: 19 } }, 'http://s/alerts?prompt=support'],
      [3, 'drift:output_tokens', { start: { line: 1, character: 2 }, end: { line: 1, character: 19 } }, 'http://s/drift?prompt=support'],
    ]);
    expect(found[1]!.message).toBe('Spanlens: the output_tokens of prompt support drifted against its reference window (KS D=0.421, adjusted p=0.00012)');
    expect(diagnostics([item({ prompts: [] })], document, snapshot)).toEqual([]);
  });
});

describe('inlay hints and code actions', () => {
  it('puts one hint per line at its end, joining the items of a line, only inside the requested range', () => {
    const hints = inlayHints([item({}), item({ text: 'prompt figures', kind: 'prompt' }), item({ line: 0, text: 'first' })], document, { start: { line: 1, character: 0 }, end: { line: 1, character: 5 } });
    expect(hints.map((hint) => [hint.position, hint.label])).toEqual([[{ line: 1, character: 19 }, '$0.01/call  ·  prompt figures']]);
  });

  it('offers to open the dashboard for each annotated line in the range', () => {
    const actions = codeActions([item({}), item({ line: 0 })], { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, []);
    expect(actions.map((action) => [action.title, action.command?.command, action.command?.arguments])).toEqual([['Open this call site in the Spanlens dashboard', 'spanlens.openDashboard', ['http://s/prompts?callsite=a.ts%3A2']]]);
  });
});

describe('resolveSettings', () => {
  it('prefers the editor, then the environment, then defaults, and drops only the invalid value with a message', () => {
    const { settings, problems } = resolveSettings([{ apiKey: 'from-secret-storage' }, { apiUrl: 'http://spanlens.internal:4318/', refreshIntervalSeconds: 0, codeLens: false }], { apiUrl: 'http://env:1', apiKey: 'env-key' });
    expect(settings).toEqual({ apiUrl: 'http://spanlens.internal:4318', apiKey: 'from-secret-storage', dashboardUrl: 'http://spanlens.internal:4318', refreshMs: 30_000, codeLens: false, inlayHints: true, diagnostics: true, expectedOutputTokens: 256 });
    expect(problems).toEqual([expect.stringMatching(/^spanlens\.refreshIntervalSeconds: .* \(got 0\); using the default$/)]);
    expect(resolveSettings([undefined], { apiKey: 'env-key' }).settings).toMatchObject({ apiUrl: 'http://127.0.0.1:4318', apiKey: 'env-key' });
  });
});
