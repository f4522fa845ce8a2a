import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CodeLens, Hover, InlayHint } from 'vscode-languageserver-protocol';
import { promptFile, replySource, triageSource, writeSampleWorkspace } from './fixtures/lsp-workspace';
import { startLanguageClient, type LanguageClient } from './support/lsp-client';
import { newTraceId, otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './support/otlp-json';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';
import { waitFor } from './support/wait';

/*
 * Expected figures, worked out by hand from the spans sent below and the
 * list prices ($ per million tokens): gpt-4o-mini 0.15 in / 0.60 out,
 * gpt-4o 2.50 in / 10 out.
 *
 * suggestReply (deployed line 6, local line 9): 4 calls of 1000 in + 200 out
 *   = 0.00015 + 0.00012 = $0.00027 per call, $0.00108 in all → `$0.0011`.
 *   Durations 1000, 1200, 1400, 3000 ms: quantileExact(0.95) takes the
 *   element at floor(0.95 × 4) = 3 of the sorted values → 3000 ms → `3.0s`.
 *   Votes: 2 up, 1 down → 67%. A week earlier: 2 calls, $0.00054 → +100%.
 * summarise, first call (deployed 18, local 21): 2 × gpt-4o 600 in + 100 out
 *   = 0.0015 + 0.001 = $0.0025 per call, $0.005 in all (two significant figures: `$0.005`), 800 ms each.
 * summarise, second call (deployed 19, local 22): 1 × gpt-4o-mini 300 in + 50 out
 *   = 0.000045 + 0.00003 = $0.000075, 500 ms.
 * Workspace spend over 24 h: 0.00108 + 0.005 + 0.000075 = $0.006155 → `$0.0062`.
 *
 * Before it ships: the literal prompt (fixtures' englishPrompt) is 26 tokens
 * in o200k_base (counted with OpenAI's tiktoken; see
 * language-server/src/annotations/estimate.test.ts).
 *   With gpt-4o-mini and production's mean output of 800 / 4 = 200 tokens:
 *   26 × 0.15e-6 + 200 × 0.6e-6 = $0.0001239 → `$0.00012`, against
 *   production's $0.00027: 0.0001239 / 0.00027 − 1 = −54%.
 *   With gpt-4o and no production data, the default 256 output tokens:
 *   26 × 2.5e-6 + 256 × 10e-6 = $0.002625 → `$0.0026`.
 *   The prompt file bumped to version 4, while production runs version 3:
 *   the same $0.0001239 per call, compared with support-reply@3 — per month
 *   at its 4 calls/24h × 30 days: 0.0001239 × 120 = $0.014868 → `$0.015`;
 *   0.0001239 − 0.00027 = −$0.0001461/call → `-$0.00015`, × 120 = −$0.017532 → `-$0.018`.
 *   After an admin sets gpt-4o's price through the API to $1 in and $2 out
 *   per million: 26 × 1e-6 + 256 × 2e-6 = $0.000538 → `$0.00054`.
 */
const replyLens = '$0.00027/call · 4 calls · $0.0011/24h · p95 3.0s · 👍 67%';
const replyCallLens = `${replyLens} · est. $0.00012/call (-54% vs prod)`;

const HOUR = 3_600_000;
const deployed = '/srv/app/src/support/reply.ts';

function llmSpan(options: { model: string; input: number; output: number; line: number; fn: string; durationMs: number; startMs: number; prompt?: boolean; traceId?: string }): JsonSpanInput {
  return {
    startMs: options.startMs,
    durationMs: options.durationMs,
    ...(options.traceId ? { traceId: options.traceId } : {}),
    attributes: {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': options.model,
      'gen_ai.usage.input_tokens': options.input,
      'gen_ai.usage.output_tokens': options.output,
      'code.file.path': deployed,
      'code.line.number': options.line,
      'code.function.name': options.fn,
      'spanlens.feature': 'support',
      ...(options.prompt ? { 'spanlens.prompt.id': 'support-reply', 'spanlens.prompt.version': '3' } : {}),
    },
  };
}

describe('language server over stdio, against a running Spanlens', () => {
  let spanlens: SpanlensProcess | undefined;
  let client: LanguageClient | undefined;
  afterAll(async () => {
    await client?.stop();
    await spanlens?.kill9();
  });

  it('annotates call sites, prompt ids and prompt files with the figures the spans imply, refreshes, and survives the API going away', async () => {
    const workspace = writeSampleWorkspace();
    const config = join(mkdtempSync(join(tmpdir(), 'spanlens-lsp-config-')), 'spanlens.yaml');
    const rules = mkdtempSync(join(tmpdir(), 'spanlens-lsp-rules-'));
    writeFileSync(join(rules, 'prompts.yaml'), ['rules:', '  - name: prompt-spend', '    metric: cost_per_hour', '    group_by: [prompt]', '    window: 1h', '    condition: "> 0"', '    severity: warning', '    annotations: { summary: "{{ labels.prompt }} is spending", description: "{{ value }}" }', ''].join('\n'));
    writeFileSync(config, ['alerts:', '  evaluation_interval_ms: 1000', '  default_rules: false', `  rules_dir: ${rules}`, ''].join('\n'));
    const dataDir = tempDataDir();
    spanlens = await startSpanlensProcess({ dataDir, env: { SPANLENS_CONFIG: config } });

    const now = Date.now();
    const replyTraces = [newTraceId(), newTraceId(), newTraceId(), newTraceId()];
    const spans = [
      ...[1000, 1200, 1400, 3000].map((durationMs, i) => llmSpan({ model: 'gpt-4o-mini', input: 1000, output: 200, line: 6, fn: 'suggestReply', durationMs, startMs: now - HOUR / 2 + i * 1000, prompt: true, traceId: replyTraces[i]! })),
      ...[0, 1].map((i) => llmSpan({ model: 'gpt-4o-mini', input: 1000, output: 200, line: 6, fn: 'suggestReply', durationMs: 900, startMs: now - 7 * 24 * HOUR - HOUR + i * 1000, prompt: true })),
      ...[0, 1].map((i) => llmSpan({ model: 'gpt-4o', input: 600, output: 100, line: 18, fn: 'summarise', durationMs: 800, startMs: now - 2 * HOUR + i * 1000 })),
      llmSpan({ model: 'gpt-4o-mini', input: 300, output: 50, line: 19, fn: 'summarise', durationMs: 500, startMs: now - 2 * HOUR + 5000 }),
    ];
    expect((await postOtlpJson(spanlens.url, otlpJsonRequest(spans, 'support-api'))).status).toBe(200);
    const votes = [1, 1, -1].map((score, i) => ({ trace_id: replyTraces[i], score, user_id: `u${i}` }));
    expect((await fetch(`${spanlens.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(votes) })).status).toBe(200);

    // The API answers an unchanged poll with 304 Not Modified.
    const first = await fetch(`${spanlens.url}/api/v1/annotations/callsites`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${spanlens.url}/api/v1/annotations/callsites`, { headers: { 'if-none-match': etag!, 'cache-control': 'max-age=0' } })).status).toBe(304);

    client = await startLanguageClient({ workspace: workspace.root, initializationOptions: { apiUrl: spanlens.url, refreshIntervalSeconds: 1 } });
    const { connection, traffic } = client;
    const reply = await client.open(workspace.reply, 'typescript', replySource);
    const triage = await client.open(workspace.triage, 'typescript', triageSource);
    const prompt = await client.open(workspace.prompt, 'yaml', promptFile);

    await waitFor('the first figures and a code-lens refresh request', () => traffic.statuses.some((s) => s.state === 'ok') && traffic.codeLensRefreshes > 0 && traffic.inlayHintRefreshes > 0, 60_000);
    const lenses = async (uri: string) => ((await connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[]).map((lens) => [lens.range.start.line, lens.command?.title]);

    // Call sites: re-anchored three lines below where the deployed spans point,
    // in the workspace file whose path shares the longest suffix with /srv/app/….
    expect(await lenses(reply)).toEqual([
      [8, replyCallLens],
      [14, replyLens],
      [20, '$0.0025/call · 2 calls · $0.005/24h · p95 800ms'],
      [21, '$0.000075/call · 1 call · $0.000075/24h · p95 500ms'],
    ]);
    expect(await lenses(triage)).toEqual([[3, 'no calls in 24h · est. $0.0026/call']]);
    expect(await lenses(prompt)).toEqual([[0, `${replyLens} · est. $0.00012/call (-54% vs prod)`]]);

    // Inlay hints: the same text at the end of each annotated line.
    const hints = (await connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: reply }, range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } } })) as InlayHint[];
    const lines = replySource.split('\n');
    expect(hints.map((hint) => [hint.position, hint.label])).toEqual([
      [{ line: 8, character: lines[8]!.length }, replyCallLens],
      [{ line: 14, character: lines[14]!.length }, replyLens],
      [{ line: 20, character: lines[20]!.length }, '$0.0025/call · 2 calls · $0.005/24h · p95 800ms'],
      [{ line: 21, character: lines[21]!.length }, '$0.000075/call · 1 call · $0.000075/24h · p95 500ms'],
    ]);

    // The hover's breakdown.
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri: reply }, position: { line: 8, character: 10 } })) as Hover;
    const markdown = (hover.contents as { value: string }).value;
    for (const row of [
      '| Models | `gpt-4o-mini` (4 calls, $0.0011) |',
      '| Tokens | 4k in · 800 out · 0 cached |',
      '| Cache hit rate | 0% |',
      '| p95 latency | 3.0s |',
      '| Error rate | 0% |',
      '| vs previous week | cost ▲ 100% · calls ▲ 100% |',
      '| Satisfaction | 👍 67% of 3 votes |',
      '- At production volume (4 calls/24h): $0.015/month',
    ]) {
      expect(markdown).toContain(row);
    }
    expect(markdown).toMatch(/_Last 24h · fetched \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC_/);
    expect(markdown).toContain(`(${spanlens.url}/prompts?callsite=${encodeURIComponent(`${deployed}:6`)})`);

    // The prompt file is bumped to version 4 while version 3 runs in production:
    // the estimate is compared with version 3, and says so.
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: prompt, version: 2 }, contentChanges: [{ range: { start: { line: 1, character: 9 }, end: { line: 1, character: 10 } }, text: '4' }] });
    expect(await lenses(prompt)).toEqual([[0, 'no calls in 24h · est. $0.00012/call (-54% vs v3 in prod)']]);
    const bumped = ((await connection.sendRequest('textDocument/hover', { textDocument: { uri: prompt }, position: { line: 0, character: 2 } })) as Hover).contents as { value: string };
    expect(bumped.value).toContain('- At the production volume of support-reply@3 (4 calls/24h): $0.015/month');
    expect(bumped.value).toContain('- Against support-reply@3 in production ($0.00027/call): -$0.00015/call, -54%, -$0.018/month');

    // Status: the workspace's spend over 24 h.
    expect(traffic.statuses.at(-1)).toMatchObject({ state: 'ok', text: 'Spanlens $0.0062/24h', spendUsd24h: expect.closeTo(0.006155, 9) });

    // Diagnostics: the firing alert on prompt support-reply@3, on both lines that use it.
    await waitFor('alert diagnostics', () => (traffic.diagnostics.get(reply) ?? []).length >= 2, 30_000);
    const diagnostics = traffic.diagnostics.get(reply)!;
    expect(diagnostics.map((d) => [d.range.start.line, d.severity, d.code, d.source])).toEqual([
      [8, 2, 'alert:prompt-spend', 'spanlens'],
      [14, 2, 'alert:prompt-spend', 'spanlens'],
    ]);
    expect(diagnostics[0]!.message).toContain('prompt support-reply@3: support-reply@3 is spending');
    expect(diagnostics[0]!.codeDescription?.href).toBe(`${spanlens.url}/alerts?prompt=support-reply%403`);

    // The code action opens the dashboard at that call site, through the client.
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri: reply }, range: { start: { line: 8, character: 0 }, end: { line: 8, character: 0 } }, context: { diagnostics } })) as Array<{ title: string; command: { command: string; arguments: unknown[] } }>;
    expect(actions).toHaveLength(1);
    expect(actions[0]!.command.command).toBe('spanlens.openDashboard');
    await connection.sendRequest('workspace/executeCommand', actions[0]!.command);
    expect(traffic.shownDocuments).toEqual([`${spanlens.url}/prompts?callsite=${encodeURIComponent(`${deployed}:6`)}`]);

    // A price set through the API (open: this server has no keys) for the
    // estimate's model: the estimate follows it within a poll and the hover
    // says where the price came from, while production's gpt-4o call site
    // keeps the cost its spans were priced with.
    const hoverText = async (uri: string, line: number) => (((await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character: 10 } })) as Hover).contents as { value: string }).value;
    expect(await hoverText(triage, 3)).toMatch(/- Cost: \$0\.0026\/call \(price: catalog, genai-prices@\d+\.\d+\.\d+\)/);
    const listed = await fetch(`${spanlens.url}/api/v1/prices`);
    const pricesEtag = listed.headers.get('etag');
    expect(pricesEtag).toBeTruthy();
    expect((await fetch(`${spanlens.url}/api/v1/prices`, { headers: { 'if-none-match': pricesEtag!, 'cache-control': 'max-age=0' } })).status).toBe(304);
    const put = await fetch(`${spanlens.url}/api/v1/prices/gpt-4o`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input_per_mtok: 1, output_per_mtok: 2 }) });
    expect(put.status).toBe(200);
    const { price_version: overrideVersion } = (await put.json()) as { price_version: string };
    const overriddenLens = [[3, 'no calls in 24h · est. $0.00054/call']];
    const stopAt = Date.now() + 15_000;
    let triageLenses = await lenses(triage);
    while (JSON.stringify(triageLenses) !== JSON.stringify(overriddenLens) && Date.now() < stopAt) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      triageLenses = await lenses(triage);
    }
    expect(triageLenses).toEqual(overriddenLens);
    expect(overrideVersion).toMatch(/^override:\d+$/);
    expect(await hoverText(triage, 3)).toContain(`- Cost: $0.00054/call (price: api override, ${overrideVersion})`);
    expect((await lenses(reply))[2]).toEqual([20, '$0.0025/call · 2 calls · $0.005/24h · p95 800ms']);

    // Editing above the call moves the annotation with it.
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri: reply, version: 2 }, contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '// one\n// two\n' }] });
    expect((await lenses(reply)).map(([line]) => line)).toEqual([10, 16, 22, 23]);

    // The API goes away: one quiet status and one log line, annotations stay put.
    const port = new URL(spanlens.url).port;
    const warningsBefore = traffic.logMessages.filter((m) => m.type === 2).length;
    expect(await spanlens.interrupt()).toBe(0);
    spanlens = undefined;
    await waitFor('the unreachable status', () => traffic.statuses.at(-1)?.state === 'unreachable', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // three more failed polls
    expect(traffic.statuses.filter((s) => s.state === 'unreachable')).toHaveLength(1);
    expect(traffic.logMessages.filter((m) => m.type === 2).length - warningsBefore).toBe(1);
    expect((await lenses(reply)).map(([line]) => line)).toEqual([10, 16, 22, 23]);

    // It comes back on the same port: status and figures return by themselves.
    spanlens = await startSpanlensProcess({ dataDir, env: { SPANLENS_CONFIG: config, SPANLENS_PORT: port } });
    await waitFor('the API to be reachable again', () => traffic.statuses.at(-1)?.state === 'ok', 30_000);
    expect(traffic.logMessages.some((m) => m.message.includes('answers again'))).toBe(true);
    expect((await lenses(reply))[0]).toEqual([10, replyCallLens]);

    // Settings: code lenses off, inlay hints stay.
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: { spanlens: { codeLens: false } } });
    expect(await lenses(reply)).toEqual([]);
    const after = (await connection.sendRequest('textDocument/inlayHint', { textDocument: { uri: reply }, range: { start: { line: 0, character: 0 }, end: { line: 30, character: 0 } } })) as InlayHint[];
    expect(after).toHaveLength(4);
    expect(client.stderr()).toBe('');
  }, 240_000);
});
