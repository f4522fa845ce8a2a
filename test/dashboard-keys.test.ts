import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { runSpanlensCli } from './support/cli';
import { figureValue, waitDrawn } from './support/dashboard-page';
import { otlpJsonRequest, postOtlpJson } from './support/otlp-json';
import { killedAfterEach, startSpanlensProcess, tempDataDir } from './support/spanlens-process';

const track = killedAfterEach();
let browser: Browser | undefined;
afterAll(async () => {
  await browser?.close();
});

describe('the dashboard on a Spanlens with API keys', () => {
  it('asks for a read key, keeps it in this browser, and then shows the figures', async () => {
    const dataDir = tempDataDir('spanlens-dashboard-keys-');
    const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_LOG_LEVEL: 'silent' };
    // Keys are made on the store before the server starts, as a first key must be.
    const create = async (scope: string) => JSON.parse((await runSpanlensCli(['keys', 'create', '--scope', scope, '--json'], env)).stdout) as { key: string };
    const read = await create('read');
    const ingest = await create('ingest');
    const spanlens = await track(startSpanlensProcess({ dataDir }));
    // gpt-4o-mini, 1000 in + 100 out: 0.00015 + 0.00006 = $0.00021 a call, $0.00063 for three.
    const calls = Array.from({ length: 3 }, (_, i) => ({ startMs: Date.now() - 60_000 - i, attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100, 'spanlens.feature': 'kb' } }));
    expect((await postOtlpJson(spanlens.url, otlpJsonRequest(calls), { authorization: `Bearer ${ingest.key}` })).status).toBe(200);

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const prompts: string[] = [];
    page.on('dialog', (dialog) => {
      prompts.push(dialog.message());
      void dialog.accept(read.key);
    });
    await page.goto(`${spanlens.url}/?range=24h`);
    await waitDrawn(page);
    // Asked once, although the page makes several requests at once.
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatch(/API key with the read scope/);
    expect(await figureValue(page, 'calls')).toBe(3);
    expect(await figureValue(page, 'cost')).toBeCloseTo(0.00063, 9);
    expect(await page.evaluate("localStorage.getItem('spanlens.apiKey')")).toBe(read.key);

    // Next visit: the kept key is used without asking.
    await page.goto(`${spanlens.url}/features?range=24h`);
    await waitDrawn(page);
    expect(prompts).toHaveLength(1);
  }, 120_000);
});
