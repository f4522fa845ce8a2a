/**
 * A real VS Code end to end: the packaged .vsix installed into code-server,
 * a workspace with a sample app instrumented with @spanlens/sdk opened in
 * headless Chromium, and a running Spanlens holding the app's production
 * spans. The spans come from running the app: a copy deployed under another
 * path (…/srv/deploy/sample-app/src/summarise.ts, so the editor must match it
 * to the workspace file by path suffix) calls `summarise` six times at once
 * with a fake OpenAI client (test/support/sample-app-traffic.ts), and the SDK
 * records model, tokens and call site from the stack while an OpenTelemetry
 * tracer provider exports them over OTLP. The cost annotation the spans imply
 * must be rendered on the line of the LLM call they point at; `classify`,
 * never run, gets none. A screenshot is saved to test/output/vscode-e2e.png.
 *
 * code-server is installed by scripts/code-server.sh (cached under
 * .spanlens/code-server/; .ci/run installs it first). Debian's chromium and
 * libkrb5-dev are needed, as .ci/run installs them.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { codeServerDirs, installCodeServer, installExtension, startCodeServer, vscodeLogs, writeUserSettings, type CodeServerDirs, type RunningCodeServer } from './support/code-server';
import type { AnnotationsReport } from '@spanlens/core/editor-protocol';
import { usd } from './support/costs';
import type { ExportedSpan } from './support/sample-app-traffic';
import { repoRoot, startSpanlensProcess, type SpanlensProcess } from './support/spanlens-process';

const execFileAsync = promisify(execFile);

const fixtureDir = join(repoRoot, 'test', 'fixtures', 'sample-app');
const fixtureFile = join(fixtureDir, 'src', 'summarise.ts');
const screenshotPath = join(repoRoot, 'test', 'output', 'vscode-e2e.png');
const vsixPath = join(repoRoot, 'vscode-extension', 'dist', 'spanlens-vscode.vsix');
const trafficScript = join(repoRoot, 'test', 'support', 'sample-app-traffic.ts');

// The 1-based line of the OpenAI call in `summarise` (the first of the two
// calls in the file). `traceLlmCall` is written on the same line, so it is
// also the line the SDK records as the spans' code.line.number.
const fixtureLines = readFileSync(fixtureFile, 'utf8').split('\n');
const summariseCallLine = fixtureLines.findIndex((line) => line.includes('openai.chat.completions.create(')) + 1;
const classifyCallLine = fixtureLines.findIndex((line, index) => index + 1 > summariseCallLine && line.includes('openai.chat.completions.create(')) + 1;

// Six production calls of gpt-4o-mini, each 10,000 input and 1,000 output
// tokens, made at once, each answered by the fake client after 1.2 s.
// gpt-4o-mini's list price (in @pydantic/genai-prices): $0.15 per million
// input tokens, $0.60 per million output tokens.
const CALLS = 6;
const LATENCY_MS = 1200;
const costPerCall = (10_000 * 0.15 + 1_000 * 0.6) / 1_000_000; // 0.0015 + 0.0006 = $0.0021
const cost24h = CALLS * costPerCall; // $0.0126, shown with two significant figures
const expectedStatus = 'Spanlens $0.013/24h';

/**
 * The p95 of the calls' durations by the nearest-rank method (the
 * ⌈0.95·n⌉-th smallest; of six calls, the slowest), written as the editor
 * writes a latency between 1 s and a minute: seconds with one decimal.
 */
function p95Text(durationsMs: readonly number[]): string {
  const sorted = [...durationsMs].sort((a, b) => a - b);
  const p95 = sorted[Math.ceil(0.95 * sorted.length) - 1]!;
  expect(p95).toBeGreaterThanOrEqual(1000);
  expect(p95).toBeLessThan(59_950);
  return `${(Math.round(p95 / 100) / 10).toFixed(1)}s`;
}

describe('the packaged extension in a real VS Code (code-server)', () => {
  let root: string | undefined;
  let spanlens: SpanlensProcess | undefined;
  let codeServer: RunningCodeServer | undefined;
  let dirs: CodeServerDirs;
  let browser: Browser | undefined;
  let page: Page;
  let workspace: string;
  // What the editor must show: costs written out by hand above, p95 from the durations the app's spans measured.
  let expectedAnnotation: string;
  let deployedFile: string;
  let durations: number[];

  beforeAll(async () => {
    expect(summariseCallLine).toBeGreaterThan(0);
    expect(classifyCallLine).toBeGreaterThan(summariseCallLine);
    expect(fixtureLines[summariseCallLine - 1]).toContain('traceLlmCall(');
    expect(costPerCall).toBeCloseTo(0.0021, 12);
    expect(cost24h).toBeCloseTo(0.0126, 12);

    const launcher = await installCodeServer();
    // The .vsix under test is built from the current sources, language server included.
    await execFileAsync('pnpm', ['--filter', 'spanlens-vscode', 'package'], { cwd: repoRoot, timeout: 5 * 60_000 });

    root = realpathSync(mkdtempSync(join(tmpdir(), 'spanlens-vscode-e2e-')));
    workspace = join(root, 'sample-app');
    cpSync(fixtureDir, workspace, { recursive: true });
    // A developer's checkout has its dependencies installed too, so the editor's TypeScript resolves the SDK.
    installDependencies(workspace);

    spanlens = await startSpanlensProcess({ dataDir: join(root, 'spanlens-data') });
    // The app as deployed on a server: another path that ends with the
    // workspace file's (sample-app/src/summarise.ts), its dependencies
    // installed beside it.
    const deployed = join(root, 'srv', 'deploy', 'sample-app');
    deployedFile = join(deployed, 'src', 'summarise.ts');
    cpSync(fixtureDir, deployed, { recursive: true });
    installDependencies(deployed);
    const env = { ...process.env };
    delete env.NODE_OPTIONS;
    const traffic = await execFileAsync(process.execPath, ['--import', 'tsx', trafficScript, deployedFile, spanlens.url, String(CALLS), String(LATENCY_MS)], { cwd: repoRoot, env, timeout: 60_000 });
    const exported = JSON.parse(traffic.stdout) as ExportedSpan[];

    // The SDK made one span per call, with the call site it read from the stack of the deployed app.
    expect(exported).toHaveLength(CALLS);
    for (const span of exported) {
      expect(span.name).toBe('chat gpt-4o-mini');
      expect(span.attributes).toMatchObject({
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.output_tokens': 1_000,
        'code.file.path': deployedFile,
        'code.line.number': summariseCallLine,
        'code.function.name': 'summarise',
      });
      // Each span covers its call, which the fake client answered after LATENCY_MS (timers may fire up to 1 ms early).
      expect(span.durationMs).toBeGreaterThanOrEqual(LATENCY_MS - 1);
    }
    durations = exported.map((span) => span.durationMs);
    expectedAnnotation = `$0.0021/call · 6 calls · $0.013/24h · p95 ${p95Text(durations)}`;

    dirs = codeServerDirs(join(root, 'code-server'));
    const installed = await installExtension(launcher, dirs, vsixPath);
    expect(installed).toContain('successfully installed');
    writeUserSettings(dirs, {
      'spanlens.apiUrl': spanlens.url,
      'spanlens.refreshIntervalSeconds': 5,
      // VS Code cuts inlay hints after 43 characters by default; 0 shows them whole.
      'editor.inlayHints.maximumLength': 0,
    });
    codeServer = await startCodeServer({ launcher, dirs, folder: workspace });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1920, height: 1200 } });
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await spanlens?.kill9().catch(() => undefined);
    if (root) rmSync(root, { recursive: true, force: true });
  }, 60_000);

  it('renders the cost the spans imply as a CodeLens above the call and an inlay hint on its line', async () => {
    try {
      // Spanlens stored the app's spans under the call site the SDK recorded: the deployed path, the
      // line of the call, all six calls; p95 from the same durations the app measured.
      await expect
        .poll(async () => ((await (await fetch(`${spanlens!.url}/api/v1/annotations/callsites`)).json()) as AnnotationsReport).rows, { timeout: 30_000 })
        .toEqual([
          expect.objectContaining({
            key: `${deployedFile}:${summariseCallLine}`,
            file: deployedFile,
            line: summariseCallLine,
            function: 'summarise',
            calls: CALLS,
            tokens: expect.objectContaining({ input: CALLS * 10_000, output: CALLS * 1_000 }),
          }),
        ]);
      const [stored] = ((await (await fetch(`${spanlens!.url}/api/v1/annotations/callsites`)).json()) as AnnotationsReport).rows;
      expect(usd(stored!.cost_usd)).toBe(usd(cost24h));
      expect(stored!.p95_ms).toBeCloseTo(Math.max(...durations), 3);

      await page.goto(`${codeServer!.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
      await openWithQuickOpen(page, 'summarise.ts');

      // The lens appears once the extension has started the language server and it has read the API.
      const lens = page.locator('.monaco-editor .codelens-decoration', { hasText: loosePattern(expectedAnnotation) });
      await lens.waitFor({ timeout: 120_000 });
      expect(await lens.count()).toBe(1);
      expect(plainText(await lens.textContent())).toContain(expectedAnnotation);

      // It sits directly above the call's line: below the line before it, above the call's line.
      const lensBox = await lens.boundingBox();
      const callLineBox = await lineNumberBox(page, summariseCallLine);
      const lineBeforeBox = await lineNumberBox(page, summariseCallLine - 1);
      expect(lensBox).not.toBeNull();
      expect(lensBox!.y).toBeGreaterThanOrEqual(lineBeforeBox.y + lineBeforeBox.height - 1);
      expect(lensBox!.y + lensBox!.height).toBeLessThanOrEqual(callLineBox.y + 1);
      expect(callLineBox.y - (lensBox!.y + lensBox!.height)).toBeLessThan(callLineBox.height);

      // The end-of-line inlay hint on the call's own line carries the same figures.
      await expect.poll(() => viewLineText(page, callLineBox.y), { timeout: 60_000 }).toContain(expectedAnnotation);
      // The other call in the file has no production spans: none of these figures there.
      const classifyBox = await lineNumberBox(page, classifyCallLine);
      expect(await viewLineText(page, classifyBox.y)).not.toContain('$0.0021/call');

      // The status bar shows the workspace's spend over 24 h, as the server reported it.
      await expect.poll(() => statusBarTexts(page), { timeout: 60_000 }).toContain(expectedStatus);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n\ncode-server:\n${codeServer?.log().slice(-3000)}\n\nVS Code logs:\n${vscodeLogs(dirs)}`);
    } finally {
      mkdirSync(join(repoRoot, 'test', 'output'), { recursive: true });
      await page.screenshot({ path: screenshotPath }).catch(() => undefined);
    }
  }, 6 * 60_000);
});

/** The sample app's dependencies (package.json), linked to the copies this repository's tests use. */
function installDependencies(appDir: string): void {
  for (const name of ['@spanlens/sdk', '@opentelemetry/api']) {
    const target = join(appDir, 'node_modules', name);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(realpathSync(join(repoRoot, 'test', 'node_modules', name)), target, 'dir');
  }
}

/** Opens a workspace file the way a user does: Ctrl+P, its name, Enter. */
async function openWithQuickOpen(page: Page, fileName: string): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  // The workbench may take a moment to take keyboard focus after it appears.
  for (let attempt = 0; attempt < 10 && !(await quickInput.isVisible()); attempt++) {
    await page.locator('.monaco-workbench .part.editor').click({ position: { x: 20, y: 20 } }).catch(() => undefined);
    await page.keyboard.press('Control+P');
    await quickInput.waitFor({ state: 'visible', timeout: 3_000 }).catch(() => undefined);
  }
  await page.keyboard.type(fileName);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: fileName }).first().waitFor({ timeout: 60_000 });
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-line').first().waitFor({ timeout: 60_000 });
}

/** The on-screen box of the line-number gutter element of a 1-based line. */
async function lineNumberBox(page: Page, line: number): Promise<{ x: number; y: number; width: number; height: number }> {
  const box = await page.locator('.monaco-editor .margin-view-overlays .line-numbers').filter({ hasText: new RegExp(`^\\s*${line}\\s*$`) }).first().boundingBox();
  if (!box) throw new Error(`line number ${line} is not on screen`);
  return box;
}

/** The rendered text of the editor line whose top is at `y` (inlay hints included). */
function viewLineText(page: Page, y: number): Promise<string> {
  return page.$$eval(
    '.monaco-editor .view-lines .view-line',
    (lines, top) => lines.find((line) => Math.abs(line.getBoundingClientRect().top - top) < 2)?.textContent ?? '',
    y,
  ).then(plainText);
}

function statusBarTexts(page: Page): Promise<string[]> {
  return page.$$eval('.statusbar-item', (items) => items.map((item) => item.textContent ?? '')).then((texts) => texts.map((text) => plainText(text).trim()));
}

/** The editor renders spaces as no-break spaces; compare with plain ones. */
function plainText(text: string | null): string {
  return (text ?? '').replace(/\u00a0/g, ' ');
}

/** Matches `text` with any kind of space where it has a space. */
function loosePattern(text: string): RegExp {
  return new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s'));
}
