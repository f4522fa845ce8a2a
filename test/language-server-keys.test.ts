import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CodeLens, Hover } from 'vscode-languageserver-protocol';
import { promptFile, replySource, writeSampleWorkspace } from './fixtures/lsp-workspace';
import { runSpanlensCli } from './support/cli';
import { startLanguageClient, type LanguageClient } from './support/lsp-client';
import { otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './support/otlp-json';
import { logTail, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';
import { waitFor } from './support/wait';

/*
 * The editor's API key against a Spanlens that requires keys, and the drift
 * job's finding as a diagnostic. Figures worked out by hand from the spans
 * below (gpt-4o-mini lists at $0.15 in / $0.60 out per million tokens):
 *
 * suggestReply (deployed line 6, local line 8), prompt support-reply@3:
 *   in the last 24 h, 20 calls of 1000 in + 200 out = 0.00015 + 0.00012
 *   = $0.00027 per call, $0.0054 in all. Durations 1000, 1100, …, 2900 ms:
 *   quantileExact(0.95) takes the element at floor(0.95 × 20) = 19 of the
 *   sorted values → 2900 ms → `2.9s`. No votes: no satisfaction.
 *   The estimate of the literal prompt (26 tokens, see language-server.test.ts)
 *   with production's mean output of 200 tokens: $0.0001239 → `$0.00012`, −54%.
 *   Workspace spend over 24 h: `$0.0054`.
 *
 * Drift: three days earlier (inside the reference window, the 7 days before
 *   the current one) the same prompt made 20 calls of 1000 in + 50 out with the
 *   same durations. The drift job (min_samples 20) tests feature `support` and
 *   prompt `support-reply` on input tokens, output tokens, latency and cost per
 *   call. Input tokens and latency are identical on both sides: D = 0, p = 1.
 *   Output tokens and cost per call separate the samples completely: D = 1,
 *   and the exact two-sided p of D = 1 for two samples of 20 is the chance
 *   that one sample lies wholly above the other, 2 / C(40, 20)
 *   = 2 / 137846528820 = 1.4509e-11. Benjamini–Hochberg over the run's 8
 *   tests: the four smallest p's, ranked 1–4, get at most p × 8 / 4 = 2.9018e-11
 *   → `adjusted p=2.9e-11`.
 */
const replyLens = '$0.00027/call · 20 calls · $0.0054/24h · p95 2.9s';
const replyCallLens = `${replyLens} · est. $0.00012/call (-54% vs prod)`;
const C_40_20 = 137_846_528_820;
const adjustedP = ((2 / C_40_20) * 8) / 4;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const deployed = '/srv/app/src/support/reply.ts';
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

function replySpan(startMs: number, output: number, durationMs: number): JsonSpanInput {
  return {
    startMs,
    durationMs,
    attributes: {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': output,
      'code.file.path': deployed,
      'code.line.number': 6,
      'code.function.name': 'suggestReply',
      'spanlens.feature': 'support',
      'spanlens.prompt.id': 'support-reply',
      'spanlens.prompt.version': '3',
    },
  };
}

describe('language server over stdio, against a Spanlens that requires API keys', () => {
  const dataDir = tempDataDir('spanlens-lsp-keys-');
  const configFile = join(dirname(dataDir), 'spanlens.yaml');
  // Drift with 20 calls a side, the scheduled drift run never during the test
  // (the CLI's run is the only one), and no alert rules (only drift diagnostics).
  writeFileSync(configFile, ['drift:', '  min_samples: 20', 'jobs:', '  schedules:', '    drift: "0 0 1 1 *"', 'alerts:', '  default_rules: false', ''].join('\n'));
  const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_CONFIG: configFile, SPANLENS_LOG_LEVEL: 'warn' };
  const keys = { admin: '', read: '', ingest: '' };
  const workspace = writeSampleWorkspace();
  let spanlens: SpanlensProcess;
  const clients: LanguageClient[] = [];

  beforeAll(async () => {
    const created = await runSpanlensCli(['keys', 'create', '--scope', 'admin', '--name', 'lsp-keys', '--json'], env);
    expect(created.status, created.stderr).toBe(0);
    keys.admin = (JSON.parse(created.stdout) as { key: string }).key;
    spanlens = await startSpanlensProcess({ dataDir, env });
    for (const scope of ['read', 'ingest'] as const) {
      const response = await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: { ...bearer(keys.admin), 'content-type': 'application/json' }, body: JSON.stringify({ scope, name: `lsp-${scope}` }) });
      expect(response.status).toBe(201);
      keys[scope] = ((await response.json()) as { key: string }).key;
    }
    // The current window ends at the top of the hour, so current spans are
    // put half an hour before it (still within the last 24 h).
    const topOfHour = Math.floor(Date.now() / HOUR) * HOUR;
    const durations = Array.from({ length: 20 }, (_, i) => 1000 + 100 * i);
    const spans = [...durations.map((d, i) => replySpan(topOfHour - HOUR / 2 + i * 1000, 200, d)), ...durations.map((d, i) => replySpan(Date.now() - 3 * DAY + i * 1000, 50, d))];
    expect((await postOtlpJson(spanlens.url, otlpJsonRequest(spans, 'support-api'), bearer(keys.ingest))).status).toBe(200);
    const drift = await runSpanlensCli(['jobs', 'run', 'drift', '--json'], { ...env, SPANLENS_API_KEY: keys.admin });
    expect(drift.status, drift.stderr).toBe(0);
    expect(JSON.parse(drift.stdout)).toMatchObject({ job: 'drift', outcome: 'ok', rows: 8 });
  }, 180_000);

  afterAll(async () => {
    for (const client of clients) await client.stop();
    await spanlens?.kill9();
  });

  const start = async (options: { initializationOptions: Record<string, unknown>; env?: Record<string, string> }) => {
    // No key from the test's own environment: each client gets exactly the key the test gives it.
    const client = await startLanguageClient({ workspace: workspace.root, initializationOptions: { apiUrl: spanlens.url, refreshIntervalSeconds: 1, ...options.initializationOptions }, env: { SPANLENS_API_KEY: '', SPANLENS_API_URL: '', ...options.env } });
    clients.push(client);
    return client;
  };
  const lensesOf = async (client: LanguageClient, uri: string) => ((await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[]).map((lens) => [lens.range.start.line, lens.command?.title]);
  // summarise's two calls sent no spans here, and their prompts are built at run time: no estimate either.
  const expectedLenses = [
    [8, replyCallLens],
    [14, replyLens],
    [20, 'no calls in 24h'],
    [21, 'no calls in 24h'],
  ];

  it('without a key says once that the key is missing and shows no production figures; the key sent as the extension sends it brings the figures and the drift diagnostics; an ingest key is told it lacks the read scope; a key in the settings works', async () => {
    const client = await start({ initializationOptions: {} });
    const { connection, traffic } = client;
    const reply = await client.open(workspace.reply, 'typescript', replySource);
    const prompt = await client.open(workspace.prompt, 'yaml', promptFile);
    const detail = () => `statuses: ${JSON.stringify(traffic.statuses)}; log: ${JSON.stringify(traffic.logMessages)}; spanlens: ${logTail(spanlens.log(), 10)}`;
    const warnings = () => traffic.logMessages.filter((m) => m.type === 2);

    // (a) No key: one quiet status and one log line, however many polls fail.
    await waitFor('the key-missing status', () => traffic.statuses.at(-1)?.state === 'unauthorized', 30_000, detail);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // three more refused polls
    expect(traffic.statuses.filter((s) => s.state === 'unauthorized')).toHaveLength(1);
    expect(traffic.statuses.at(-1)).toMatchObject({ state: 'unauthorized', text: 'Spanlens: API key missing', spendUsd24h: null });
    expect(traffic.statuses.at(-1)!.tooltip).toBe(`Spanlens API ${spanlens.url} requires an API key (401): set a key with the read scope in spanlens.apiKey in the editor (VS Code: Spanlens: Set API key), or SPANLENS_API_KEY.`);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]!.message).toContain('requires an API key (401)');
    // No production figures, no diagnostics: only the before-it-ships estimate
    // of the literal prompt (26 × 0.15 + 256 × 0.6 µ$ = $0.0001575 → `$0.00016`
    // with the default 256 output tokens) where it needs no production data.
    const noFigures = await lensesOf(client, reply);
    expect(noFigures.map(([, title]) => title).join('\n')).not.toMatch(/calls|24h|p95/);
    expect(noFigures).toEqual([[8, 'est. $0.00016/call']]);
    expect(traffic.diagnostics.get(reply) ?? []).toEqual([]);
    expect(traffic.diagnostics.get(prompt) ?? []).toEqual([]);

    // (b) A read key, in the notification the VS Code extension sends when the
    // key in SecretStorage changes.
    await connection.sendNotification('spanlens/apiKey', { apiKey: keys.read });
    await waitFor('the figures after the read key', () => traffic.statuses.at(-1)?.state === 'ok', 30_000, detail);
    expect(traffic.statuses.at(-1)).toMatchObject({ state: 'ok', text: 'Spanlens $0.0054/24h', spendUsd24h: expect.closeTo(0.0054, 9) });
    expect(traffic.logMessages.at(-1)).toEqual({ type: 3, message: `Spanlens: ${spanlens.url} accepts the API key.` });
    expect(await lensesOf(client, reply)).toEqual(expectedLenses);

    // The drift job's finding on prompt support-reply, as Information on the
    // lines that use support-reply@3 (the call site and its prompt id) and on
    // the prompt file, each linking to the dashboard's drift page.
    const driftCodes = ['drift:output_tokens', 'drift:cost_per_call_usd'];
    await waitFor('drift diagnostics', () => (traffic.diagnostics.get(reply) ?? []).length === 4 && (traffic.diagnostics.get(prompt) ?? []).length === 2, 10_000, detail);
    const drift = traffic.diagnostics.get(reply)!;
    expect(drift.map((d) => [d.range.start.line, d.severity, d.code, d.source, d.codeDescription?.href]).sort()).toEqual(
      [8, 14].flatMap((line) => driftCodes.map((code) => [line, 3, code, 'spanlens', `${spanlens.url}/drift?prompt=support-reply`])).sort(),
    );
    expect(traffic.diagnostics.get(prompt)!.map((d) => [d.range.start.line, d.severity, d.code]).sort()).toEqual(driftCodes.map((code) => [0, 3, code]).sort());
    expect(drift.find((d) => d.code === 'drift:output_tokens')!.message).toBe(`Spanlens: the output_tokens of prompt support-reply drifted against its reference window (KS D=1.000, adjusted p=${adjustedP.toPrecision(2)})`);
    expect(adjustedP.toPrecision(2)).toBe('2.9e-11');
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri: reply }, position: { line: 8, character: 10 } })) as Hover;
    // The API lists drifted tests by adjusted p, then metric; Markdown escapes the underscores.
    expect((hover.contents as { value: string }).value).toContain('| Drift | ⚠ drifting (cost\\_per\\_call\\_usd D=1.00, output\\_tokens D=1.00) |');

    // (c) An ingest key: valid, but without the read scope (403) — said once,
    // while the annotations keep their last figures.
    const warningsBefore = warnings().length;
    await connection.sendNotification('spanlens/apiKey', { apiKey: keys.ingest });
    await waitFor('the lacks-read-scope status', () => traffic.statuses.at(-1)?.state === 'unauthorized', 30_000, detail);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(traffic.statuses.filter((s) => s.text === 'Spanlens: API key lacks read scope')).toHaveLength(1);
    expect(traffic.statuses.at(-1)!.tooltip).toBe(`Spanlens API ${spanlens.url} refused the key (403): its scope does not include read (an ingest key?). Set a key with the read scope in spanlens.apiKey in the editor (VS Code: Spanlens: Set API key), or SPANLENS_API_KEY.`);
    expect(warnings().length - warningsBefore).toBe(1);
    expect(await lensesOf(client, reply)).toEqual(expectedLenses);

    // The key cleared from SecretStorage (null): back to no key.
    await connection.sendNotification('spanlens/apiKey', { apiKey: null });
    await waitFor('the key-missing status again', () => traffic.statuses.at(-1)?.text === 'Spanlens: API key missing', 30_000, detail);

    // (d) The settings route: spanlens.apiKey in the configuration section.
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: { spanlens: { apiKey: keys.read } } });
    await waitFor('the figures after the key in the settings', () => traffic.statuses.at(-1)?.state === 'ok', 30_000, detail);
    expect(await lensesOf(client, reply)).toEqual(expectedLenses);
    expect(client.stderr()).toBe('');
  }, 180_000);

  it('takes the key from SPANLENS_API_KEY when the editor passes none, and from the initialization options', async () => {
    for (const route of [{ initializationOptions: {}, env: { SPANLENS_API_KEY: keys.read } }, { initializationOptions: { apiKey: keys.read } }]) {
      const client = await start(route);
      const reply = await client.open(workspace.reply, 'typescript', replySource);
      await waitFor(`the figures (${JSON.stringify(route.env ? 'env' : 'init')})`, () => client.traffic.statuses.at(-1)?.state === 'ok', 30_000, () => JSON.stringify(client.traffic.statuses));
      expect(client.traffic.statuses.some((s) => s.state === 'unauthorized')).toBe(false);
      expect(await lensesOf(client, reply)).toEqual(expectedLenses);
      await client.stop();
      clients.splice(clients.indexOf(client), 1);
    }
  }, 120_000);
});
