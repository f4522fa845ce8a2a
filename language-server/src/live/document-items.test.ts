import { createPricer } from '@spanlens/core/pricing';
import type { AnnotationRow } from '@spanlens/core/editor-protocol';
import { describe, expect, it } from 'vitest';
import { CallsiteIndex } from './callsite-index';
import { documentItems, type DocumentInput } from './document-items';
import { emptySnapshot, type LiveSnapshot } from './live-snapshot';

const context = { pricer: createPricer({ customPrices: [] }), now: new Date('2026-11-22T12:00:00Z'), dashboardUrl: 'http://127.0.0.1:4318', expectedOutputTokens: 256 };

function row(values: Partial<AnnotationRow> & { key: string }): AnnotationRow {
  return {
    calls: 1,
    cost_usd: 0.001,
    cost_per_call_usd: 0.001,
    unpriced_calls: 0,
    p95_ms: 500,
    error_rate: 0,
    tokens: { input: 100, output: 10, cached: 0 },
    models: [{ model: 'gpt-4o', calls: 1, cost_usd: 0.001 }],
    previous_week: { calls: 0, cost_usd: 0 },
    satisfaction: { votes: 0, positive: 0, rate: null },
    prompts: [],
    ...values,
  };
}

const snapshotWith = (values: Partial<LiveSnapshot>): LiveSnapshot => ({ ...emptySnapshot, fetchedAt: context.now, ...values });

function items(input: Omit<DocumentInput, 'callsiteRows'> & { workspace?: string[] }) {
  const index = new CallsiteIndex(input.snapshot.callsites, input.workspace ?? [input.path]);
  return documentItems({ ...input, callsiteRows: index.rowsOf(input.path) }, context).map((item) => [item.line, item.text]);
}

// Local file; the deployed commit had the two calls at lines 3 and 4 (1-based), before a comment line was added.
const twoCalls = [
  'export async function review(text: string) {', // 0
  '  // Checked twice since the last deploy.', // 1
  "  const a = await client.chat.completions.create({ model: 'gpt-4o', messages });", // 2
  "  const b = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });", // 3
  '  return [a, b];', // 4
  '}', // 5
].join('\n');

describe('documentItems: mapping spans to the local file', () => {
  it('keeps two call sites of one function apart after lines moved, by the model each span recorded', () => {
    const snapshot = snapshotWith({
      callsites: [
        row({ key: '/app/review.ts:2', file: '/app/review.ts', line: 2, function: 'review', calls: 2, cost_usd: 0.004, cost_per_call_usd: 0.002, models: [{ model: 'gpt-4o-2024-08-06', calls: 2, cost_usd: 0.004 }] }),
        row({ key: '/app/review.ts:3', file: '/app/review.ts', line: 3, function: 'review', calls: 1, cost_usd: 0.0001, cost_per_call_usd: 0.0001, models: [{ model: 'gpt-4o-mini', calls: 1, cost_usd: 0.0001 }] }),
      ],
    });
    expect(items({ path: '/home/dev/svc/src/review.ts', text: twoCalls, kind: 'typescript', snapshot, workspace: ['/home/dev/svc/src/review.ts'] })).toEqual([
      [2, '$0.002/call · 2 calls · $0.004/24h · p95 500ms'],
      [3, '$0.0001/call · 1 call · $0.0001/24h · p95 500ms'],
    ]);
  });

  it('adds up spans of two deployed versions that point at different lines of the same call', () => {
    const snapshot = snapshotWith({
      callsites: [
        row({ key: '/app/review.ts:3', file: '/app/review.ts', line: 3, function: 'review', calls: 3, cost_usd: 0.003, cost_per_call_usd: 0.001, p95_ms: 700, models: [{ model: 'gpt-4o', calls: 3, cost_usd: 0.003 }] }),
        row({ key: '/app/review.ts:2', file: '/app/review.ts', line: 2, function: 'review', calls: 1, cost_usd: 0.001, cost_per_call_usd: 0.001, p95_ms: 900, models: [{ model: 'gpt-4o', calls: 1, cost_usd: 0.001 }] }),
      ],
    });
    const text = twoCalls.replace("  const b = await client.chat.completions.create({ model: 'gpt-4o-mini', messages });\n", '');
    // Both rows anchor on the one gpt-4o call: 4 calls, $0.004, p95 the larger of the two (an upper bound).
    expect(items({ path: '/w/review.ts', text, kind: 'typescript', snapshot })).toEqual([[2, '$0.001/call · 4 calls · $0.004/24h · p95 900ms']]);
  });

  it('matches a renamed folder by the longest path suffix and ignores spans of other files', () => {
    const snapshot = snapshotWith({ callsites: [row({ key: '/srv/old-name/src/review.ts:3', file: '/srv/old-name/src/review.ts', line: 3, function: 'review' }), row({ key: '/srv/app/billing.ts:1', file: '/srv/app/billing.ts', line: 1, function: 'bill' })] });
    const workspace = ['/w/new-name/src/review.ts', '/w/new-name/test/review.ts'];
    expect(items({ path: '/w/new-name/src/review.ts', text: twoCalls, kind: 'typescript', snapshot, workspace })).toEqual([
      [2, '$0.001/call · 1 call · $0.001/24h · p95 500ms'],
      [3, 'no calls in 24h'],
    ]);
    expect(items({ path: '/w/new-name/test/review.ts', text: twoCalls, kind: 'typescript', snapshot, workspace })).toEqual([
      [2, 'no calls in 24h'],
      [3, 'no calls in 24h'],
    ]);
  });

  it('puts a span whose function no longer has a recognised call on its line, inside the function', () => {
    const text = ['def answer(question):', '    reply = my_wrapper(question)', '    return reply', ''].join('\n');
    const snapshot = snapshotWith({ callsites: [row({ key: 'app/answer.py:2', file: 'app/answer.py', line: 2, function: 'answer' })] });
    expect(items({ path: '/w/app/answer.py', text, kind: 'python', snapshot })).toEqual([[1, '$0.001/call · 1 call · $0.001/24h · p95 500ms']]);
  });
});

describe('documentItems: what the items say', () => {
  it('shows an unpriced model as such, never as free', () => {
    const text = "async function f() { return client.chat.completions.create({ model: 'acme-7b', messages }); }";
    const snapshot = snapshotWith({ callsites: [row({ key: 'f.ts:1', file: 'f.ts', line: 1, function: 'f', calls: 5, cost_usd: 0, cost_per_call_usd: null, unpriced_calls: 5 })] });
    expect(items({ path: '/w/f.ts', text, kind: 'typescript', snapshot })).toEqual([[0, 'unpriced model · 5 calls · p95 500ms']]);
  });

  it('estimates a Python call with a literal prompt before any data arrives, and shows nothing else until the API answers', () => {
    // "Say hello." is 3 tokens in o200k_base ('Say', ' hello', '.'); gpt-4o-mini: 3 × 0.15e-6 + 256 × 0.6e-6 = $0.00015405.
    const text = ['def greet(client):', '    return client.chat.completions.create(', '        model="gpt-4o-mini",', '        messages=[{"role": "user", "content": "Say hello."}],', '    )', ''].join('\n');
    const waiting = { ...emptySnapshot };
    expect(items({ path: '/w/greet.py', text, kind: 'python', snapshot: waiting })).toEqual([[1, 'est. $0.00015/call']]);
    // Without a literal prompt there is nothing to say until the API answers, and then that there were no calls.
    const noLiteral = text.replace('"Say hello."', 'question');
    expect(items({ path: '/w/greet.py', text: noLiteral, kind: 'python', snapshot: waiting })).toEqual([]);
    expect(items({ path: '/w/greet.py', text: noLiteral, kind: 'python', snapshot: snapshotWith({}) })).toEqual([[1, 'no calls in 24h']]);
  });

  it('annotates a prompt template file with its production figures and the estimate of the edited text', () => {
    const file = ['id: greet', 'version: 2', 'model: gpt-4o-mini', 'template: Say hello.', ''].join('\n');
    const snapshot = snapshotWith({ prompts: [row({ key: 'greet@2', calls: 10, cost_usd: 0.002, cost_per_call_usd: 0.0002, tokens: { input: 1000, output: 300, cached: 0 }, models: [{ model: 'gpt-4o-mini', calls: 10, cost_usd: 0.002 }] }), row({ key: 'greet@1', calls: 99 })] });
    // Estimate: 3 tokens in + production's mean 30 out = 3 × 0.15e-6 + 30 × 0.6e-6 = $0.00001845, against $0.0002 in production: −91%.
    const found = documentItems({ path: '/w/prompts/greet.yaml', text: file, kind: 'prompt-file', callsiteRows: [], snapshot }, context);
    expect(found.map((item) => [item.line, item.text, item.dashboardUrl])).toEqual([[0, '$0.0002/call · 10 calls · $0.002/24h · p95 500ms · est. $0.000018/call (-91% vs prod)', 'http://127.0.0.1:4318/prompts?prompt=greet']]);
    expect(found[0]!.hover).toContain('- At production volume (10 calls/24h): $0.0055/month');
  });
});

describe('documentItems: an edited prompt with a version production does not run yet', () => {
  /*
   * Worked out by hand. "Say hello." is 3 tokens in o200k_base; gpt-4o-mini
   * costs $0.15 in / $0.60 out per million. Production runs greet@2: 20
   * calls, $0.0008 in all, 600 output tokens (a mean of 30 per call). greet@1
   * still has 4 stray calls, so greet@2 is the most-called version.
   *   Estimate: 3 × 0.15e-6 + 30 × 0.6e-6 = $0.00001845 → `$0.000018`.
   *   Against greet@2's $0.00004/call: 0.00001845 / 0.00004 − 1 = −53.9% → `-54%`,
   *   −$0.00002155/call → `-$0.000022`; per month at 20 calls/24h × 30 days:
   *   0.00001845 × 600 = $0.01107 → `$0.011`, difference −0.00002155 × 600 = −$0.01293 → `-$0.013`.
   */
  const promptRowsInProduction = [
    row({ key: 'greet@2', calls: 20, cost_usd: 0.0008, cost_per_call_usd: 0.00004, tokens: { input: 200, output: 600, cached: 0 }, models: [{ model: 'gpt-4o-mini', calls: 20, cost_usd: 0.0008 }] }),
    row({ key: 'greet@1', calls: 4, cost_usd: 0.0004, cost_per_call_usd: 0.0001 }),
  ];

  it('compares a prompt file bumped to version 3 with version 2, which production runs', () => {
    const file = ['id: greet', 'version: 3', 'model: gpt-4o-mini', 'template: Say hello.', ''].join('\n');
    const found = documentItems({ path: '/w/prompts/greet.yaml', text: file, kind: 'prompt-file', callsiteRows: [], snapshot: snapshotWith({ prompts: promptRowsInProduction }) }, context);
    expect(found.map((item) => [item.line, item.text])).toEqual([[0, 'no calls in 24h · est. $0.000018/call (-54% vs v2 in prod)']]);
    const hover = found[0]!.hover;
    expect(hover).toContain('- Tokens: 3 in (o200k_base) + 30 out (production mean of greet@2)');
    expect(hover).toContain('- At the production volume of greet@2 (20 calls/24h): $0.011/month');
    expect(hover).toContain('- Against greet@2 in production ($0.00004/call): -$0.000022/call, -54%, -$0.013/month');
  });

  it('compares an SDK call that names a new prompt version with its call site in production, and says which version that ran', () => {
    const text = [
      'export async function greet() {', // 0
      "  return client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello.' }], metadata: { 'spanlens.prompt.id': 'greet', 'spanlens.prompt.version': '3' } });", // 1
      '}', // 2
    ].join('\n');
    const callsite = row({ key: 'f.ts:2', file: 'f.ts', line: 2, function: 'greet', calls: 20, cost_usd: 0.0008, cost_per_call_usd: 0.00004, tokens: { input: 200, output: 600, cached: 0 }, prompts: ['greet@2'] });
    const withCallsite = snapshotWith({ callsites: [callsite], prompts: promptRowsInProduction });
    expect(items({ path: '/w/f.ts', text, kind: 'typescript', snapshot: withCallsite })).toEqual([
      [1, '$0.00004/call · 20 calls · $0.0008/24h · p95 500ms · est. $0.000018/call (-54% vs v2 in prod)'],
      [1, 'no calls in 24h'],
    ]);
    // A new call site (no spans point at it yet) is compared with the prompt's production version.
    const withoutCallsite = snapshotWith({ prompts: promptRowsInProduction });
    expect(items({ path: '/w/f.ts', text, kind: 'typescript', snapshot: withoutCallsite })).toEqual([
      [1, 'no calls in 24h · est. $0.000018/call (-54% vs v2 in prod)'],
      [1, 'no calls in 24h'],
    ]);
    // Naming the version production runs reads as before.
    expect(items({ path: '/w/f.ts', text: text.replace("'3'", "'2'"), kind: 'typescript', snapshot: withoutCallsite })[0]).toEqual([1, 'no calls in 24h · est. $0.000018/call (-54% vs prod)']);
  });
});
