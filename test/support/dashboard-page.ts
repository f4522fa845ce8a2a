import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { repoRoot } from './spanlens-process';

export const screenshotDir = join(repoRoot, 'test', 'output');

export interface DashboardPage {
  page: Page;
  /** Console errors and uncaught exceptions since the page opened. */
  errors: string[];
  /** Milliseconds from navigation until the page said it was drawn. */
  loadMs: number;
  /** API requests the page made, with how long each took (request start to response end), for the report of load times. */
  apiTimes: Array<{ path: string; ms: number }>;
}

/**
 * Opens a dashboard URL at 1280×800 and waits until the page is drawn (or
 * failed to be). `fakeClock` lets a test move the page's timers forward.
 */
export async function openDashboard(browser: Browser, url: string, options: { fakeClock?: boolean } = {}): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  if (options.fakeClock) await page.clock.install();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  const apiTimes: DashboardPage['apiTimes'] = [];
  page.on('requestfinished', (request) => {
    const path = new URL(request.url()).pathname;
    if (path.startsWith('/api/v1/')) apiTimes.push({ path: path.slice(7), ms: Math.round(request.timing().responseEnd) });
  });
  const started = Date.now();
  await page.goto(url);
  await waitDrawn(page);
  return { page, errors, loadMs: Date.now() - started, apiTimes };
}

/** Waits until #app says the current draw is finished. */
export async function waitDrawn(page: Page): Promise<void> {
  await page.waitForSelector('#app[data-state="ready"]', { timeout: 30_000 });
}

/** Waits for the next draw after an action (a new range, a filter, a refresh). */
export async function afterRedraw(page: Page, action: () => Promise<unknown>): Promise<void> {
  // A string, because this file is typechecked without the DOM's types.
  await page.evaluate("document.getElementById('app').setAttribute('data-state', 'stale')");
  await action();
  await waitDrawn(page);
}

/** The exact number behind a figure on the page (`data-value`), null when the page shows none. */
export async function figureValue(page: Page, name: string, scope = 'body'): Promise<number | null> {
  const text = await page.locator(`${scope} [data-figure="${name}"]`).first().getAttribute('data-value');
  return text === null || text === '' ? null : Number(text);
}

/** The range the page resolved its preset to, as the API's query parameters. */
export async function pageRange(page: Page): Promise<{ from: string; to: string }> {
  const label = page.locator('.range-label');
  return { from: (await label.getAttribute('data-from'))!, to: (await label.getAttribute('data-to'))! };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `dashboard-${name}.png`), fullPage: true });
}
