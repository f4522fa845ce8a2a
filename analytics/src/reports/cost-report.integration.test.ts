import { readCsv } from '@spanlens/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema, insertSpans, type CostGrouping, type FinanceConfig } from '@spanlens/core';
import { queryCosts } from '../costs/query-costs';
import { refreshRollup } from '../rollup/refresh-rollup';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { buildCostReport } from './build-cost-report';
import type { CostReportModel } from './cost-report-model';
import { renderCostReport } from './render-report';

// Three features over three days that straddle October and November 2026;
// every expected figure below is worked out by hand from these spans.
const at = (iso: string) => new Date(iso);
const call = (iso: string, feature: string, user: string, cost: number, plan?: string) => {
  const tokens =
    feature === 'chat' ? { input_tokens: 1000, output_tokens: 100, cache_read_tokens: 100, reasoning_tokens: 10 }
    : feature === 'search' ? { input_tokens: 2000, output_tokens: 200, cache_read_tokens: 0, reasoning_tokens: 50 }
    : { input_tokens: 500, output_tokens: 50, cache_read_tokens: 0, reasoning_tokens: 0 };
  return spanAt(at(iso), { feature, user_id: user, model: `${feature}-model`, cost_usd: cost, ...tokens, attributes: plan ? { 'user.plan': plan } : {} });
};
const chatD1a = call('2026-10-31T10:10:00Z', 'chat', 'u1', 0.1, 'free');
const early = [
  chatD1a,
  call('2026-10-31T10:40:00Z', 'chat', 'u2', 0.2, 'pro'),
  call('2026-10-31T12:00:00Z', 'search', 'u1', 0.3, 'free'),
  call('2026-10-31T23:30:00Z', 'digest', 'u3', 0.05, 'team'),
  call('2026-11-01T09:00:00Z', 'chat', 'u1', 0.4, 'pro'), // u1 upgrades
  call('2026-11-01T15:00:00Z', 'search', 'u2', 0.25, 'pro'),
  call('2026-11-01T16:00:00Z', 'digest', 'u3', 0.15),
  call('2026-11-02T08:00:00Z', 'chat', 'u2', 0.5, 'pro'),
  call('2026-11-02T11:00:00Z', 'search', 'u1', 0.35),
  spanAt(at('2026-11-02T21:00:00Z'), { model: 'llama-ft', cost_usd: null, input_cost_usd: null, output_cost_usd: null, unpriced: true, input_tokens: 1000, output_tokens: 100 }),
];
// Stored after the rollup ran, into an hour it had already rolled up.
const late = call('2026-11-02T20:00:00Z', 'digest', 'u3', 0.1);

const range = { from: at('2026-10-31T00:00:00Z'), to: at('2026-11-03T00:00:00Z') };
// chat earns $930 a month, search $1,860: over 1 of October's 31 days and 2 of
// November's 30, chat earns 30 + 62 = $92 and search 60 + 124 = $184.
// pro costs $465 a month: 15 + 31 = $46 over the range.
const finance: FinanceConfig = configSchema.parse({
  finance: { features: [{ feature: 'chat', monthly_revenue_usd: 930 }, { feature: 'search', monthly_revenue_usd: 1860 }], plans: [{ plan: 'free', monthly_price_usd: 0 }, { plan: 'pro', monthly_price_usd: 465 }] },
}).finance;

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('cost_report_test');
  await insertSpans(store.client, store.database, early);
  await insertSpans(store.client, store.database, [chatD1a]); // delivered twice
  await refreshRollup(store.client, store.database, { now: at('2026-11-04T00:00:00Z') });
  await insertSpans(store.client, store.database, [late, chatD1a]);
});
afterAll(async () => {
  await store?.close();
});

const build = (by: CostGrouping & CostReportModel['by'], from = range.from, to = range.to) =>
  buildCostReport({ client: store.client, database: store.database, finance, now: () => at('2026-11-22T10:00:00Z') }, { by, from, to });
const cents = (usd: number) => Math.round(usd * 1e9) / 1e9;

/** The figures of one HTML table as a reader copies them: row header → its cells, "$1,234.50" read as 1234.5. */
function readHtmlTable(html: string, id: string): Map<string, Array<number | string>> {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html)?.[1];
  if (!table) throw new Error(`no table ${id}`);
  const lines = new Map<string, Array<number | string>>();
  for (const [, cells] of table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)) {
    const values = [...cells!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map(([, text]) => text!.replace(/<[^>]+>/g, '').replace(/&amp;/g, '&'));
    const [name, ...rest] = values;
    lines.set(name!, rest.map((text) => (/^-?\$[\d,]+\.\d+$/.test(text) ? Number(text.replace(/[$,]/g, '')) : text)));
  }
  return lines;
}

describe('the cost report', () => {
  it('has per-feature totals equal to queryCosts and to the figures worked out by hand', async () => {
    const model = await build('feature');
    const costs = await queryCosts(store.client, store.database, { groupBy: 'feature', ...range });
    expect(costs.total_cost_usd).toBe(2.4);
    expect(model.totals.cost_usd).toBe(costs.total_cost_usd);
    expect(model.rows.map((r) => [r.key, r.cost_usd, r.calls])).toEqual(costs.rows.map((r) => [r.key, r.cost_usd, r.calls]));
    expect(model.rows.map((r) => [r.key, r.cost_usd, r.calls, r.input_tokens, r.output_tokens, r.cache_read_tokens, r.reasoning_tokens, r.unpriced_calls])).toEqual([
      ['chat', 1.2, 4, 4000, 400, 400, 40, 0],
      ['search', 0.9, 3, 6000, 600, 0, 150, 0],
      ['digest', 0.3, 3, 1500, 150, 0, 0, 0],
      ['', 0, 1, 1000, 100, 0, 0, 1],
    ]);
    expect(model.totals).toMatchObject({ cost_usd: 2.4, calls: 11, input_tokens: 12_500, output_tokens: 1250, cache_read_tokens: 400, reasoning_tokens: 190, unpriced_calls: 1 });
  });

  it('writes the same totals in CSV, JSON and HTML', async () => {
    const model = await build('feature');
    const csv = readCsv((await renderCostReport(model, 'csv')).body.replace(/^\uFEFF/, ''));
    const header = csv[0]!;
    const column = (name: string) => header.indexOf(name);
    const total = csv.find((line) => line[column('feature')] === 'TOTAL')!;
    expect(Number(total[column('cost_usd')])).toBe(2.4);
    expect(Number(total[column('calls')])).toBe(11);
    expect(csv.filter((line) => line[column('feature')] === 'chat').map((line) => Number(line[column('cost_usd')]))).toEqual([1.2]);
    expect(total[column('from')]).toBe('2026-10-31T00:00:00Z');

    const json = JSON.parse((await renderCostReport(model, 'json')).body) as CostReportModel;
    expect(json.totals.cost_usd).toBe(2.4);
    expect(json.rows.find((r) => r.key === 'search')?.cost_usd).toBe(0.9);

    const html = (await renderCostReport(model, 'html')).body;
    const table = readHtmlTable(html, 'cost-by-key');
    expect(table.get('TOTAL')?.[0]).toBe(2.4);
    expect(table.get('chat')?.[0]).toBe(1.2);
    expect(table.get('search')?.[0]).toBe(0.9);
    expect(table.get('digest')?.[0]).toBe(0.3);
    expect(html).toContain('<title>AI cost by feature, 2026-10-31 00:00Z to 2026-11-03 00:00Z</title>');
  });

  it('gives cost per day stacked by feature, and per hour for two days', async () => {
    const model = await build('feature');
    expect(model.over_time.unit).toBe('day');
    expect(model.over_time.keys).toEqual(['chat', 'search', 'digest', '']);
    expect(model.over_time.points.map((p) => [p.start.slice(0, 10), ...p.costs_usd.map(cents), cents(p.total_usd)])).toEqual([
      ['2026-10-31', 0.3, 0.3, 0.05, 0, 0.65],
      ['2026-11-01', 0.4, 0.25, 0.15, 0, 0.8],
      ['2026-11-02', 0.5, 0.35, 0.1, 0, 0.95],
    ]);
    const hourly = await build('feature', at('2026-11-01T00:00:00Z'), at('2026-11-03T00:00:00Z'));
    expect(hourly.over_time.unit).toBe('hour');
    expect(hourly.over_time.points).toHaveLength(48);
    const nine = hourly.over_time.points.find((p) => p.start === '2026-11-01T09:00:00.000Z')!;
    expect(nine.costs_usd[hourly.over_time.keys.indexOf('chat')]).toBe(0.4);
    expect(cents(hourly.over_time.points.reduce((sum, p) => sum + p.total_usd, 0))).toBe(1.75);
  });

  it('lists the top items and puts keys past the top eight under "other"', async () => {
    const model = await build('model');
    expect(model.over_time.has_other).toBe(false);
    expect(model.top_items.map((item) => [item.key, item.cost_usd])).toEqual([['chat-model', 1.2], ['search-model', 0.9], ['digest-model', 0.3]]);

    // Ten features in December, f9 the dearest at $0.10, f0 the cheapest at $0.01.
    await insertSpans(store.client, store.database, Array.from({ length: 10 }, (_, i) => call(`2026-12-05T1${i}:00:00Z`, `f${i}`, 'u9', (i + 1) / 100)));
    const december = await build('feature', at('2026-12-01T00:00:00Z'), at('2026-12-08T00:00:00Z'));
    expect(december.over_time.keys).toEqual(['f9', 'f8', 'f7', 'f6', 'f5', 'f4', 'f3', 'f2']);
    expect(december.over_time.has_other).toBe(true);
    const fifth = december.over_time.points.find((p) => p.start.startsWith('2026-12-05'))!;
    expect(fifth.costs_usd).toEqual([0.1, 0.09, 0.08, 0.07, 0.06, 0.05, 0.04, 0.03]);
    expect(fifth.other_usd).toBe(0.03);
    expect(fifth.total_usd).toBe(0.55);
    expect(december.top_items.map((item) => item.key)).toEqual(['f9', 'f8', 'f7', 'f6', 'f5', 'f4', 'f3', 'f2', 'f1', 'f0']);
  });

  it('compares calendar months, a total line included', async () => {
    const { month_over_month: mom } = await build('feature');
    expect(mom.months.map((m) => [m.month, m.days, m.complete])).toEqual([['2026-10', 1, false], ['2026-11', 2, false]]);
    const line = (key: string) => mom.rows.find((row) => row.key === key)!;
    expect(line('chat')).toEqual({ key: 'chat', costs_usd: [0.3, 0.9], change_usd: [null, 0.6], change_ratio: [null, 2] });
    expect(line('search')).toMatchObject({ costs_usd: [0.3, 0.6], change_usd: [null, 0.3], change_ratio: [null, 1] });
    expect(line('digest')).toMatchObject({ costs_usd: [0.05, 0.25], change_usd: [null, 0.2], change_ratio: [null, 4] });
    expect(mom.total.costs_usd).toEqual([0.65, 1.75]);
    expect(mom.total.change_usd).toEqual([null, 1.1]);
    expect(mom.total.change_ratio[1]).toBeCloseTo(1.1 / 0.65, 12);
    const html = (await renderCostReport(await build('feature'), 'html')).body;
    expect(readHtmlTable(html, 'month-over-month').get('TOTAL')).toEqual([0.65, 1.75, 1.1, '169.2%']);
  });

  it('shows revenue prorated by days and AI cost as a share of it', async () => {
    const model = await build('feature');
    expect(model.revenue?.features).toEqual([
      { feature: 'chat', monthly_revenue_usd: 930, revenue_usd: 92, cost_usd: 1.2, cost_share_of_revenue: 1.2 / 92 },
      { feature: 'search', monthly_revenue_usd: 1860, revenue_usd: 184, cost_usd: 0.9, cost_share_of_revenue: 0.9 / 184 },
    ]);
    expect(model.revenue).toMatchObject({ total_revenue_usd: 276, total_cost_usd: 2.4, cost_share_of_revenue: 2.4 / 276 });
    expect(model.rows.find((r) => r.key === 'digest')).toMatchObject({ revenue_usd: null, cost_share_of_revenue: null });
    const csv = readCsv((await renderCostReport(model, 'csv')).body.slice(1));
    const header = csv[0]!;
    const total = csv.find((line) => line[2] === 'TOTAL')!;
    expect(Number(total[header.indexOf('revenue_usd')])).toBe(276);
    expect(Number(total[header.indexOf('cost_share_of_revenue')])).toBeCloseTo(2.4 / 276, 9);
    const html = (await renderCostReport(model, 'html')).body;
    expect(readHtmlTable(html, 'revenue').get('chat')).toEqual([930, 92, 1.2, '1.3%']);
    expect(readHtmlTable(html, 'revenue').get('TOTAL (all AI cost)')).toEqual(['', 276, 2.4, '0.9%']);
  });

  it('gives each user the latest plan, its prorated price and the margin, and totals per plan', async () => {
    const model = await build('user');
    const costs = await queryCosts(store.client, store.database, { groupBy: 'user', ...range });
    expect(model.totals.cost_usd).toBe(costs.total_cost_usd);
    expect(model.rows.map((r) => [r.key, r.cost_usd, r.plan, r.plan_price_usd, r.margin_usd])).toEqual([
      ['u1', 1.15, 'pro', 46, 44.85],
      ['u2', 0.95, 'pro', 46, 45.05],
      ['u3', 0.3, 'team', null, null],
      ['', 0, null, null, null],
    ]);
    expect(model.plans?.plans).toEqual([
      { plan: 'free', monthly_price_usd: 0, users: 0, price_usd: 0, cost_usd: 0, margin_usd: 0 },
      { plan: 'pro', monthly_price_usd: 465, users: 2, price_usd: 92, cost_usd: 2.1, margin_usd: 89.9 },
      { plan: 'team', monthly_price_usd: null, users: 1, price_usd: null, cost_usd: 0.3, margin_usd: null },
      { plan: null, monthly_price_usd: null, users: 0, price_usd: null, cost_usd: 0, margin_usd: null },
    ]);
    expect(model.totals).toMatchObject({ plan_price_usd: 92, margin_usd: 89.6 });
    const html = (await renderCostReport(model, 'html')).body;
    expect(readHtmlTable(html, 'plans').get('pro')).toEqual([465, '2', 92, 2.1, 89.9]);
    expect(readHtmlTable(html, 'cost-by-key').get('TOTAL')?.[0]).toBe(2.4);
  });

  it('matches queryCosts for prompts and models, and for a range that cuts hours', async () => {
    for (const by of ['model', 'prompt'] as const) {
      const model = await build(by);
      const costs = await queryCosts(store.client, store.database, { groupBy: by, ...range });
      expect(model.totals.cost_usd).toBe(costs.total_cost_usd);
      expect(model.rows.map((r) => r.cost_usd)).toEqual(costs.rows.map((r) => r.cost_usd));
    }
    const from = at('2026-10-31T10:30:00Z');
    const to = at('2026-11-02T11:30:00Z');
    const model = await build('feature', from, to);
    // Leaves out chat 0.1 (10:10 on the 31st), digest 0.1 (20:00) on the 2nd.
    expect(model.totals.cost_usd).toBe(2.2);
    expect(model.totals.cost_usd).toBe((await queryCosts(store.client, store.database, { groupBy: 'feature', from, to })).total_cost_usd);
    expect(cents(model.over_time.points.reduce((sum, p) => sum + p.total_usd, 0))).toBe(2.2);
    expect(model.month_over_month.total.costs_usd).toEqual([0.55, 1.65]);
  });
});
