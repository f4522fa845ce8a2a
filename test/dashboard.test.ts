import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../alerts/src/notifiers/test-receiver';
import { launchChromium } from './support/browser';
import { usd } from './support/costs';
import { afterRedraw, figureValue, openDashboard, pageRange, screenshot, type DashboardPage } from './support/dashboard-page';
import { callsAsRequests, dashboardConfigYaml, generateCalls, quantileRankBounds, type GeneratedCall } from './support/dashboard-spans';
import { newSpanId, newTraceId, postOtlpJson } from './support/otlp-json';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

// One Spanlens filled with generated calls, and Debian's Chromium driving the
// dashboard at 1280×800. Figures are read from the page's data-value
// attributes (the number behind the formatted text) and compared with the
// API for the same range and with sums worked out here from the calls sent.

let spanlens: SpanlensProcess | undefined;
let fresh: SpanlensProcess | undefined;
let browser: Browser | undefined;
let webhook: TestReceiver | undefined;
let calls: GeneratedCall[] = [];
const opened: DashboardPage[] = [];
const loadTimes: Record<string, { page_ms: number; slowest_api?: string }> = {};

async function api<T>(path: string): Promise<T> {
  const response = await fetch(`${spanlens!.url}/api/v1${path}`);
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

async function open(path: string, name?: string): Promise<DashboardPage> {
  const dashboard = await openDashboard(browser!, `${spanlens!.url}${path}`);
  opened.push(dashboard);
  if (name) {
    const slowest = [...dashboard.apiTimes].sort((a, b) => b.ms - a.ms)[0];
    loadTimes[name] = { page_ms: dashboard.loadMs, ...(slowest ? { slowest_api: `${slowest.path} ${slowest.ms} ms` } : {}) };
  }
  return dashboard;
}

const inRange = (range: { from: string; to: string }, filter: (call: GeneratedCall) => boolean = () => true) =>
  calls.filter((call) => call.startMs >= Date.parse(range.from) && call.startMs < Date.parse(range.to) && filter(call));
const sumCost = (list: GeneratedCall[]) => list.reduce((sum, call) => sum + (call.costUsd ?? 0), 0);

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spanlens-dashboard-'));
  webhook = await startReceiver((res) => {
    res.statusCode = 200;
    res.end('ok');
  });
  writeFileSync(join(dir, 'spanlens.yaml'), dashboardConfigYaml(webhook.url));
  [spanlens, browser] = await Promise.all([startSpanlensProcess({ dataDir: tempDataDir(), env: { SPANLENS_CONFIG: join(dir, 'spanlens.yaml') } }), launchChromium()]);
  calls = generateCalls(Date.now());
  for (const request of callsAsRequests(calls)) expect((await postOtlpJson(spanlens.url, request)).status).toBe(200);
  // Votes on the chat prompt's calls: three of four positive.
  const votes = calls.filter((call) => call.prompt === 'answer').slice(0, 40).map((call, i) => ({ trace_id: call.traceId, span_id: call.spanId, user_id: call.user, score: i % 4 === 0 ? -1 : 1 }));
  expect((await fetch(`${spanlens.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(votes) })).status).toBe(200);
  const drift = await fetch(`${spanlens.url}/api/v1/jobs/drift/run`, { method: 'POST' });
  expect(drift.status, await drift.clone().text()).toBe(200);
}, 180_000);

afterAll(async () => {
  await Promise.all(opened.map((dashboard) => dashboard.page.close().catch(() => undefined)));
  await browser?.close();
  await spanlens?.interrupt();
  await fresh?.interrupt();
  await webhook?.close();
  console.log(`dashboard page load times (ms, navigation to drawn): ${JSON.stringify(loadTimes)}`);
});

/** A quantile estimate (t-digest) lies between the exact quantiles two percentiles either side. */
function expectWithinRanks(estimate: number | null, values: number[], q: number): void {
  const [low, high] = quantileRankBounds(values, q, 0.02);
  expect(estimate).toBeGreaterThanOrEqual(low);
  expect(estimate).toBeLessThanOrEqual(high);
}

describe('dashboard in a real browser', () => {
  it('overview: figures equal the API and the calls sent; range, filter and grouping change the URL and the figures', async () => {
    const { page, errors } = await open('/?range=7d', 'overview');
    const range = await pageRange(page);
    type Totals = { calls: number; cost_usd: number; error_rate: number; cache_hit_rate: number; unpriced_calls: number; output_tokens_per_second: number; latency_ms: { p50: number; p95: number; p99: number }; ttft_ms: { p50: number } | null };
    const overview = await api<{ current: Totals; spend: Array<{ window: string; cost_usd: number }>; unpriced_models: Array<{ model: string }> }>(`/overview?${new URLSearchParams(range)}`);
    const week = inRange(range);
    expect(await figureValue(page, 'calls')).toBe(overview.current.calls);
    expect(overview.current.calls).toBe(week.length);
    expect(await figureValue(page, 'cost')).toBe(overview.current.cost_usd);
    expect(usd(overview.current.cost_usd)).toBe(usd(sumCost(week)));
    expect(await figureValue(page, 'error-rate')).toBe(overview.current.error_rate);
    expect(overview.current.error_rate).toBeCloseTo(week.filter((c) => c.error).length / week.length, 12);
    expect(await figureValue(page, 'cache-hit-rate')).toBe(overview.current.cache_hit_rate);
    const input = week.reduce((sum, c) => sum + c.inputTokens, 0);
    expect(overview.current.cache_hit_rate).toBeCloseTo(week.reduce((sum, c) => sum + c.cacheReadTokens, 0) / input, 12);
    expect(await figureValue(page, 'unpriced-calls')).toBe(week.filter((c) => c.costUsd === null).length);
    expect(overview.unpriced_models.map((m) => m.model)).toEqual(['home-llm']);
    await expect(page.locator('[data-table="unpriced-models"]').textContent()).resolves.toContain('home-llm');
    for (const q of ['p50', 'p95', 'p99'] as const) {
      // t-digest estimates (read from the rollups): within two percentiles of
      // the exact rank. Not compared for equality with the API: a rollup run
      // between the page's read and ours may merge the digests differently.
      const level = { p50: 0.5, p95: 0.95, p99: 0.99 }[q];
      expectWithinRanks(await figureValue(page, `latency-${q}`), week.map((c) => c.durationMs), level);
      expectWithinRanks(overview.current.latency_ms[q], week.map((c) => c.durationMs), level);
    }
    const streamed = week.filter((c) => c.ttftMs !== null).map((c) => c.ttftMs!);
    expectWithinRanks(await figureValue(page, 'ttft-p50'), streamed, 0.5);
    expectWithinRanks(overview.current.ttft_ms!.p50, streamed, 0.5);
    const withOutput = week.filter((c) => c.outputTokens > 0);
    expect(await figureValue(page, 'tokens-per-second')).toBeCloseTo(withOutput.reduce((s, c) => s + c.outputTokens, 0) / (withOutput.reduce((s, c) => s + c.durationMs, 0) / 1000), 9);
    expect(await figureValue(page, 'spend-7d')).toBe(overview.spend.find((s) => s.window === '7d')!.cost_usd);
    // The cost API agrees with the spend figure for the same window.
    const spend7 = (await api<{ spend: Array<{ window: string; from: string; to: string; cost_usd: number }> }>('/overview')).spend.find((s) => s.window === '30d')!;
    const costs = await api<{ total_cost_usd: number }>(`/costs?group_by=feature&from=${spend7.from}&to=${spend7.to}`);
    expect(spend7.cost_usd).toBe(costs.total_cost_usd);
    await expect(page.locator('canvas').count()).resolves.toBeGreaterThanOrEqual(4);
    await screenshot(page, 'overview');

    // A shorter range: the URL says so and the figures follow.
    await afterRedraw(page, () => page.selectOption('select[name="range"]', '24h'));
    expect(new URL(page.url()).searchParams.get('range')).toBe('24h');
    const day = await pageRange(page);
    expect(await figureValue(page, 'calls')).toBe(inRange(day).length);
    expect(inRange(day).length).toBeLessThan(week.length);

    // A filter: the URL keeps it, the figures are the feature's.
    await afterRedraw(page, async () => {
      await page.fill('input[name="feature"]', 'search');
      await page.click('form.controls button[type="submit"]');
    });
    expect(new URL(page.url()).searchParams.get('feature')).toBe('search');
    const searchRange = await pageRange(page);
    const search = inRange(searchRange, (c) => c.feature === 'search');
    expect(await figureValue(page, 'calls')).toBe(search.length);
    const filtered = await api<{ current: Totals }>(`/overview?${new URLSearchParams({ ...searchRange, feature: 'search' })}`);
    expect(await figureValue(page, 'cost')).toBe(filtered.current.cost_usd);
    expect(usd(filtered.current.cost_usd)).toBe(usd(sumCost(search)));
    // Search calls report no time to first token: the page says so rather than showing a zero.
    await expect(page.locator('[data-figure="ttft-p50"]').textContent()).resolves.toBe('not recorded');

    await afterRedraw(page, () => page.click('button[data-group="model"]'));
    expect(new URL(page.url()).searchParams.get('group')).toBe('model');
    // The link reproduces the view.
    const again = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    expect(await figureValue(again.page, 'calls')).toBe(search.length);

    // A custom range, typed in UTC: the link carries it and the figures are those of its calls.
    const minute = (ms: number) => new Date(ms - (ms % 60_000)).toISOString().slice(0, 16);
    const customFrom = minute(Date.now() - 3 * 24 * 3_600_000);
    const customTo = minute(Date.now() - 24 * 3_600_000);
    await page.selectOption('select[name="range"]', 'custom');
    await afterRedraw(page, async () => {
      await page.fill('input[name="from"]', customFrom);
      await page.fill('input[name="to"]', customTo);
      await page.click('form.controls button[type="submit"]');
    });
    const url = new URL(page.url());
    expect([url.searchParams.get('from'), url.searchParams.get('to'), url.searchParams.get('range')]).toEqual([`${customFrom}:00.000Z`, `${customTo}:00.000Z`, null]);
    expect(await figureValue(page, 'calls')).toBe(inRange({ from: `${customFrom}:00Z`, to: `${customTo}:00Z` }, (c) => c.feature === 'search').length);
    expect([...errors, ...again.errors]).toEqual([]);
  }, 120_000);

  it('cost by feature: the report\'s figures with margin and top users, and the CSV download equals the report', async () => {
    const { page, errors } = await open('/features?range=30d', 'features');
    const range = await pageRange(page);
    const report = await api<{ totals: { cost_usd: number; revenue_usd: number }; rows: Array<{ key: string; cost_usd: number; calls: number; revenue_usd?: number | null }> }>(`/reports/cost?by=feature&from=${range.from}&to=${range.to}`);
    expect(await figureValue(page, 'report-total')).toBe(report.totals.cost_usd);
    expect(usd(report.totals.cost_usd)).toBe(usd(sumCost(inRange(range))));
    for (const row of report.rows) {
      const scope = `tr[data-key="${row.key}"]`;
      expect(await figureValue(page, 'feature-cost', scope)).toBe(row.cost_usd);
      expect(await figureValue(page, 'feature-calls', scope)).toBe(inRange(range, (c) => c.feature === row.key).length);
    }
    const search = report.rows.find((row) => row.key === 'search')!;
    expect(await figureValue(page, 'feature-margin', 'tr[data-key="search"]')).toBeCloseTo(search.revenue_usd! - search.cost_usd, 9);
    // Top users of search, worked out from the calls.
    const byUser = new Map<string, number>();
    for (const call of inRange(range, (c) => c.feature === 'search')) byUser.set(call.user, (byUser.get(call.user) ?? 0) + (call.costUsd ?? 0));
    const dearest = [...byUser].sort((a, b) => b[1] - a[1])[0]![0];
    await expect(page.locator('tr[data-key="search"] td.top-users').textContent()).resolves.toMatch(new RegExp(`^${dearest} `));
    await screenshot(page, 'features');

    const href = (await page.locator('a[data-download="csv"]').getAttribute('href'))!;
    expect(href).toBe(`/api/v1/reports/cost?${new URLSearchParams({ by: 'feature', from: range.from, to: range.to, format: 'csv' })}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a[data-download="csv"]')]);
    const saved = readFileSync((await download.path())!);
    const direct = Buffer.from(await (await fetch(`${spanlens!.url}${href}`)).arrayBuffer());
    expect(saved.equals(direct)).toBe(true);
    expect(download.suggestedFilename()).toMatch(/^spanlens-cost-by-feature-.*\.csv$/);
    expect(errors).toEqual([]);
  }, 60_000);

  it('users: cost per user and the margin per plan equal the report', async () => {
    const { page, errors } = await open('/users?range=30d', 'users');
    const range = await pageRange(page);
    const report = await api<{ rows: Array<{ key: string; cost_usd: number }>; plans: { total_margin_usd: number; plans: Array<{ plan: string | null; margin_usd: number | null }> } }>(`/reports/cost?by=user&from=${range.from}&to=${range.to}`);
    expect(await figureValue(page, 'plans-margin')).toBe(report.plans.total_margin_usd);
    for (const plan of report.plans.plans) expect(await figureValue(page, 'plan-margin', `tr[data-plan="${plan.plan ?? ''}"]`)).toBe(plan.margin_usd);
    for (const row of report.rows.slice(0, 5)) expect(await figureValue(page, 'user-cost', `tr[data-key="${row.key}"]`)).toBe(row.cost_usd);
    const user3 = inRange(range, (c) => c.user === 'user-3');
    expect(usd((await figureValue(page, 'user-cost', 'tr[data-key="user-3"]'))!)).toBe(usd(sumCost(user3)));
    await screenshot(page, 'users');
    expect(errors).toEqual([]);
  }, 60_000);

  it('prompts: per version figures, A/B, call-site links, and the editor\'s prompt and call-site links', async () => {
    const { page, errors } = await open('/prompts?range=7d&prompt=answer', 'prompts');
    const range = await pageRange(page);
    const annotations = await api<{ rows: Array<{ key: string; calls: number; cost_usd: number }> }>(`/annotations/prompts?from=${range.from}&to=${range.to}`);
    for (const version of ['1', '2']) {
      const key = `answer@${version}`;
      const row = annotations.rows.find((r) => r.key === key)!;
      expect(await figureValue(page, 'prompt-calls', `tr[data-key="${key}"]`)).toBe(row.calls);
      expect(row.calls).toBe(inRange(range, (c) => c.prompt === 'answer' && c.version === version).length);
    }
    await expect(page.locator('table[data-table="prompts"] tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('tr[data-key="answer@1"] a[data-callsite]').getAttribute('href')).resolves.toBe('vscode://file/srv/app/src/answer.ts:42');
    // The A/B panel opens for a filtered prompt with two versions.
    const versions = await api<{ versions: Array<{ version: string; calls: number }> }>(`/prompts/answer/versions?from=${range.from}&to=${range.to}`);
    for (const version of versions.versions) expect(await figureValue(page, 'version-calls', `[data-ab="answer"] tr[data-version="${version.version}"]`)).toBe(version.calls);
    await screenshot(page, 'prompts');

    const site = await open('/prompts?range=7d&callsite=src/answer.ts:42');
    await expect(site.page.locator('[data-callsite-filter]').textContent()).resolves.toMatch(/answer@1, answer@2|answer@2, answer@1/);
    await expect(site.page.locator('table[data-table="prompts"] tbody tr.highlight').count()).resolves.toBe(2);
    expect([...errors, ...site.errors]).toEqual([]);
  }, 60_000);

  it('alerts: a silence created in the page is in the API with its expiry, and deleting it in the page removes it', async () => {
    // The $12 call fires expensive-call; the webhook takes the notification.
    type Alerts = { active: Array<{ rule: string; state: string; value: number; fingerprint: string; labels: Record<string, string> }> };
    type History = { notifications: Array<{ rule: string; kind: string; delivered: string[] }> };
    const stopAt = Date.now() + 45_000;
    while (!(await api<History>('/alert-history')).notifications.some((n) => n.rule === 'expensive-call' && n.delivered.includes('audit'))) {
      if (Date.now() > stopAt) throw new Error(`expensive-call did not fire: ${JSON.stringify(await api('/alerts'))}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const { page, errors } = await open('/alerts', 'alerts');
    const firing = (await api<Alerts>('/alerts')).active.find((a) => a.rule === 'expensive-call')!;
    expect(firing.state).toBe('firing');
    expect(await figureValue(page, 'alert-value', `[data-table="active-alerts"] tr[data-fingerprint="${firing.fingerprint}"]`)).toBe(12);
    await expect(page.locator(`[data-table="alert-history"] tr[data-fingerprint="${firing.fingerprint}"]`).first().textContent()).resolves.toMatch(/firing.*sent to audit/);
    expect(webhook!.requests.length).toBeGreaterThanOrEqual(1);
    // The editor links to /alerts?prompt=…; a filter highlights the alerts whose labels match it.
    const vip = await open('/alerts?feature=vip');
    const vipActive = (await api<Alerts>('/alerts')).active.filter((a) => a.labels.feature === 'vip');
    expect(vipActive.length).toBeGreaterThanOrEqual(1);
    await expect(vip.page.locator('[data-table="active-alerts"] tr.highlight').count()).resolves.toBe(vipActive.length);
    expect(vip.errors).toEqual([]);
    const before = Date.now();
    await afterRedraw(page, async () => {
      await page.fill('input[name="matchers"]', 'alertname=expensive-call, feature=search');
      await page.selectOption('select[name="duration"]', '4h');
      await page.fill('input[name="created_by"]', 'oncall@example.com');
      await page.fill('input[name="comment"]', 'dashboard test');
      await page.click('form[aria-label="New silence"] button[type="submit"]');
    });
    const { silences } = await api<{ silences: Array<{ id: string; matchers: unknown[]; ends_at: string; status: string; created_by: string }> }>('/silences');
    const created = silences.find((s) => s.created_by === 'oncall@example.com')!;
    expect(created.matchers).toMatchObject([{ name: 'alertname', value: 'expensive-call' }, { name: 'feature', value: 'search' }]);
    expect(Date.parse(created.ends_at) - before).toBeGreaterThan(4 * 3_600_000 - 60_000);
    expect(Date.parse(created.ends_at) - before).toBeLessThan(4 * 3_600_000 + 60_000);
    expect(created.status).toBe('active');
    await expect(page.locator(`tr[data-silence="${created.id}"]`).count()).resolves.toBe(1);
    await screenshot(page, 'alerts');
    await afterRedraw(page, () => page.click(`button[data-delete-silence="${created.id}"]`));
    // A deleted silence is gone from the API's list and from the page.
    const after = await api<{ silences: Array<{ id: string; status: string }> }>('/silences');
    expect(after.silences.find((s) => s.id === created.id)).toBeUndefined();
    await expect(page.locator(`tr[data-silence="${created.id}"]`).count()).resolves.toBe(0);
    expect(errors).toEqual([]);
  }, 60_000);

  it('drift: the latest tests, and the two distributions of a selected test whose gap is the stored D', async () => {
    const { page, errors } = await open('/drift?kind=feature&subject=search&metric=latency_ms', 'drift');
    const drift = await api<{ tests: Array<{ subject_kind: string; subject: string; metric: string; d: number; drifted: boolean }> }>('/drift');
    const test = drift.tests.find((t) => t.subject_kind === 'feature' && t.subject === 'search' && t.metric === 'latency_ms')!;
    expect(test.drifted).toBe(true);
    expect(await figureValue(page, 'drift-d')).toBe(test.d);
    expect(await figureValue(page, 'drift-d-drawn')).toBeCloseTo(test.d, 12);
    await expect(page.locator('[data-selected-test="feature:search:latency_ms"] canvas').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('table[data-table="drift"] tbody tr').count()).resolves.toBe(drift.tests.length);
    await screenshot(page, 'drift');
    // The editor's drift link for a prompt opens on that prompt's tests, drifted first.
    const prompt = await open('/drift?prompt=rank');
    await expect(prompt.page.locator('[data-selected-test]').getAttribute('data-selected-test')).resolves.toBe('prompt:rank:latency_ms');
    expect(prompt.errors).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);

  it('auto-refresh draws the page again with the calls that arrived meanwhile', async () => {
    const dashboard = await openDashboard(browser!, `${spanlens!.url}/?range=24h`, { fakeClock: true });
    opened.push(dashboard);
    const before = (await figureValue(dashboard.page, 'calls'))!;
    const late = { ...calls.at(-1)!, traceId: newTraceId(), spanId: newSpanId(), startMs: Date.now() - 60_000, feature: 'late', model: 'acme-small', costUsd: 0.0001 * 0.5 + 0.00001 * 1.5 };
    const request = callsAsRequests([{ ...late, inputTokens: 100, outputTokens: 10 }]);
    expect((await postOtlpJson(spanlens!.url, request[0])).status).toBe(200);
    calls.push({ ...late, inputTokens: 100, outputTokens: 10 });
    // A minute later by the page's clock, the 60-second refresh has drawn the page again.
    await dashboard.page.clock.fastForward(61_000);
    await expect.poll(() => figureValue(dashboard.page, 'calls'), { timeout: 20_000, interval: 200 }).toBe(before + 1);
    expect(dashboard.errors).toEqual([]);
  }, 60_000);

  it('a fresh data directory shows how to send spans, with a snippet to copy', async () => {
    fresh = await startSpanlensProcess({ dataDir: tempDataDir() });
    const dashboard = await openDashboard(browser!, `${fresh.url}/`);
    opened.push(dashboard);
    const empty = dashboard.page.locator('[data-state="empty"]');
    await expect(empty.locator('h2').textContent()).resolves.toBe(`No spans yet — point an OTLP exporter at ${fresh.url}`);
    await expect(empty.locator('pre').textContent()).resolves.toContain(`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${fresh.url}/v1/traces`);
    await screenshot(dashboard.page, 'empty');
    expect(dashboard.errors).toEqual([]);
  }, 90_000);

  it('shows the API\'s error, with a way to try again, instead of a blank page', async () => {
    const { page } = await open('/?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    const error = page.locator('[data-state="error"]');
    await expect(error.textContent()).resolves.toContain('a range of at most 400 days');
    await expect(error.locator('button').textContent()).resolves.toBe('Try again');
  }, 60_000);
});
