import type { CostReportModel } from './cost-report-model';
import { escapeHtml, money, moneyHtml, num, tableHtml, txt, type HtmlCell } from './html-table';
import { displayCount, displayDays, displayRatio, displayUsd } from './number-format';
import { renderCharts } from './report-charts';

const styles = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #57606a; --rule: #d0d7de; --band: #f6f8fa; --accent: #0072B2; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1000px; margin: 0 auto; padding: 32px 20px 64px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.2rem; margin: 40px 0 12px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
.range, .note, figcaption { color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0 0; padding: 0; list-style: none; }
.totals li { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.totals .label { display: block; font-size: .8rem; color: var(--muted); }
.totals .value { font-size: 1.25rem; font-weight: 600; font-variant-numeric: tabular-nums; }
figure { margin: 0; }
figure svg { max-width: 100%; height: auto; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; margin: 12px 0; font-size: .9rem; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
thead th { background: var(--band); vertical-align: bottom; }
thead th.num { white-space: normal; }
tbody th { font-weight: normal; min-width: 10em; max-width: 22em; overflow-wrap: anywhere; }
.fine { font-size: .8em; color: var(--muted); }
tfoot th, tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
details summary { cursor: pointer; color: var(--accent); }
@media print { h2 { break-after: avoid; } figure, table { break-inside: avoid; } }
`;

const usd = (value: number | null | undefined) => (value === null || value === undefined ? num('—', 'not defined') : money(displayUsd(value)));
const ratio = (value: number | null | undefined) => num(displayRatio(value), value === null ? 'not defined: nothing to compare with' : undefined);
const isoMinute = (iso: string) => iso.replace(/:00\.000Z$/, 'Z').replace('T', ' ');

/**
 * The report as one self-contained HTML file: inline CSS, charts as inline
 * SVG drawn on the server, and every charted figure in a table as well (for
 * screen readers, printing and copying). Nothing is fetched when it opens.
 */
export async function renderHtml(model: CostReportModel): Promise<string> {
  const label = (key: string) => (key === '' ? `(no ${model.by})` : key);
  const charts = await renderCharts(model, label);
  const title = `AI cost by ${model.by}, ${isoMinute(model.from)} to ${isoMinute(model.to)}`;
  const sections = [
    `<h1>AI cost by ${escapeHtml(model.by)}</h1>`,
    `<p class="range">${escapeHtml(isoMinute(model.from))} to ${escapeHtml(isoMinute(model.to))} (UTC, end exclusive) · generated ${escapeHtml(isoMinute(model.generated_at))}</p>`,
    totalsHtml(model),
    model.totals.unpriced_calls > 0
      ? `<p class="note">${displayCount(model.totals.unpriced_calls)} calls used models without a price: their cost is unknown and not in these figures.</p>`
      : '',
    `<h2>Cost over time</h2>`,
    `<figure>${charts.overTime}<figcaption>Cost per ${model.over_time.unit} (UTC), stacked by ${escapeHtml(model.by)}: the ${model.over_time.keys.length} most expensive on their own${model.over_time.has_other ? ', the rest as “other”' : ''}.</figcaption></figure>`,
    `<details><summary>Figures of this chart</summary>${overTimeTable(model, label)}</details>`,
    `<h2>Cost by ${escapeHtml(model.by)}</h2>`,
    keyTable(model, label),
    `<h2>Top ${escapeHtml(model.by)}s</h2>`,
    model.top_items.length > 0 ? `<figure>${charts.topItems}<figcaption>The ${model.top_items.length} most expensive by cost; figures in the table above.</figcaption></figure>` : '<p class="note">No cost in this range.</p>',
    `<h2>Month over month</h2>`,
    `<figure>${charts.monthOverMonth}<figcaption>Cost per calendar month (UTC) inside the range; a partial month is marked with its days.</figcaption></figure>`,
    monthTable(model, label),
    model.revenue ? revenueHtml(model) : '',
    model.plans ? plansHtml(model) : '',
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${styles}</style>
</head>
<body>
<main>
${sections.filter(Boolean).join('\n')}
</main>
</body>
</html>
`;
}

function totalsHtml(model: CostReportModel): string {
  const t = model.totals;
  const cards: Array<[string, string]> = [
    ['Total cost', displayUsd(t.cost_usd)],
    ['Calls', displayCount(t.calls)],
    ['Unpriced calls', displayCount(t.unpriced_calls)],
  ];
  if (t.revenue_usd !== undefined) cards.push(['Revenue', displayUsd(t.revenue_usd)], ['AI cost / revenue', displayRatio(t.cost_share_of_revenue)]);
  if (t.plan_price_usd !== undefined && t.margin_usd !== undefined) cards.push(['Plan revenue', displayUsd(t.plan_price_usd)], ['Margin', displayUsd(t.margin_usd)]);
  const items = cards.map(([name, value]) => `<li><span class="label">${escapeHtml(name)}</span><span class="value">${moneyHtml(value)}</span></li>`);
  return `<ul class="totals" id="totals">${items.join('')}</ul>`;
}

function keyTable(model: CostReportModel, label: (key: string) => string): string {
  const headers: HtmlCell[] = [txt(model.by), num('Cost (USD)'), num('Share'), num('Calls'), num('Input tokens'), num('Output tokens'), num('Cache-read tokens'), num('Reasoning tokens'), num('Unpriced calls')];
  if (model.revenue) headers.push(num('Revenue (USD)'), num('AI cost / revenue'));
  if (model.plans) headers.push(txt('Plan'), num('Plan price (USD)'), num('Margin (USD)'));
  const t = model.totals;
  const total: HtmlCell[] = [txt('TOTAL'), usd(t.cost_usd), ratio(t.cost_usd === 0 ? null : 1), num(displayCount(t.calls)), num(displayCount(t.input_tokens)), num(displayCount(t.output_tokens)), num(displayCount(t.cache_read_tokens)), num(displayCount(t.reasoning_tokens)), num(displayCount(t.unpriced_calls))];
  if (model.revenue) total.push(usd(t.revenue_usd), ratio(t.cost_share_of_revenue));
  if (model.plans) total.push(txt(''), usd(t.plan_price_usd), usd(t.margin_usd));
  const rows = model.rows.map((row) => {
    const cells: HtmlCell[] = [txt(label(row.key)), usd(row.cost_usd), ratio(row.share_of_cost), num(displayCount(row.calls)), num(displayCount(row.input_tokens)), num(displayCount(row.output_tokens)), num(displayCount(row.cache_read_tokens)), num(displayCount(row.reasoning_tokens)), num(displayCount(row.unpriced_calls))];
    if (model.revenue) cells.push(usd(row.revenue_usd), ratio(row.cost_share_of_revenue));
    if (model.plans) cells.push(txt(row.plan ?? '(none)'), usd(row.plan_price_usd), usd(row.margin_usd));
    return cells;
  });
  return tableHtml({ id: 'cost-by-key', caption: `Cost, calls and tokens by ${model.by}`, headers, rows, foot: [total] });
}

function overTimeTable(model: CostReportModel, label: (key: string) => string): string {
  const time = model.over_time;
  const headers = [txt(time.unit === 'hour' ? 'Hour (UTC)' : 'Day (UTC)'), ...time.keys.map((key) => num(label(key))), ...(time.has_other ? [num('other')] : []), num('Total')];
  const rows = time.points.map((point) => [
    txt(time.unit === 'hour' ? isoMinute(point.start) : point.start.slice(0, 10)),
    ...point.costs_usd.map((cost) => usd(cost)),
    ...(time.has_other ? [usd(point.other_usd)] : []),
    usd(point.total_usd),
  ]);
  return tableHtml({ id: 'cost-over-time', caption: `Cost per ${time.unit} (USD)`, headers, rows });
}

function monthTable(model: CostReportModel, label: (key: string) => string): string {
  const mom = model.month_over_month;
  const headers: HtmlCell[] = [txt(model.by)];
  for (const [i, month] of mom.months.entries()) {
    const name = month.complete ? month.month : `${month.month} (${displayDays(month.days)} of ${month.days_in_month} days)`;
    headers.push(num(name));
    if (i > 0) headers.push(num(`Change vs ${mom.months[i - 1]!.month}`), num('Change %'));
  }
  const line = (name: string, costs: number[], change: Array<number | null>, changeRatio: Array<number | null>): HtmlCell[] => {
    const cells: HtmlCell[] = [txt(name)];
    costs.forEach((cost, i) => {
      cells.push(usd(cost));
      if (i > 0) cells.push(usd(change[i]), ratio(changeRatio[i]));
    });
    return cells;
  };
  const rows = mom.rows.map((row) => line(label(row.key), row.costs_usd, row.change_usd, row.change_ratio));
  const foot = [line('TOTAL', mom.total.costs_usd, mom.total.change_usd, mom.total.change_ratio)];
  return tableHtml({ id: 'month-over-month', caption: 'Cost per calendar month and the change against the month before (USD)', headers, rows, foot });
}

function revenueHtml(model: CostReportModel): string {
  const revenue = model.revenue!;
  const rows = revenue.features.map((f) => [txt(f.feature), usd(f.monthly_revenue_usd), usd(f.revenue_usd), usd(f.cost_usd), ratio(f.cost_share_of_revenue)]);
  const foot = [[txt('TOTAL (all AI cost)'), num(''), usd(revenue.total_revenue_usd), usd(revenue.total_cost_usd), ratio(revenue.cost_share_of_revenue)]];
  return [
    '<h2>AI cost as a share of revenue</h2>',
    tableHtml({ id: 'revenue', caption: 'Revenue of each configured feature over the range', headers: [txt('Feature'), num('Monthly revenue (USD)'), num('Revenue in range (USD)'), num('AI cost (USD)'), num('AI cost / revenue')], rows, foot }),
    `<p class="note">${escapeHtml(revenue.method)}. The total compares all AI cost, calls without a feature included, with the revenue of the configured features.</p>`,
  ].join('\n');
}

function plansHtml(model: CostReportModel): string {
  const plans = model.plans!;
  const rows = plans.plans.map((p) => [txt(p.plan ?? '(no plan)'), usd(p.monthly_price_usd), num(displayCount(p.users)), usd(p.price_usd), usd(p.cost_usd), usd(p.margin_usd)]);
  const foot = [[txt('TOTAL'), num(''), num(displayCount(plans.plans.reduce((n, p) => n + p.users, 0))), usd(plans.total_price_usd), usd(plans.total_cost_usd), usd(plans.total_margin_usd)]];
  return [
    '<h2>Margin by plan</h2>',
    tableHtml({ id: 'plans', caption: 'Plan revenue over the range against AI cost, per plan', headers: [txt('Plan'), num('Monthly price (USD)'), num('Users'), num('Plan revenue (USD)'), num('AI cost (USD)'), num('Margin (USD)')], rows, foot }),
    `<p class="note">${escapeHtml(plans.method)}. The total margin is all plan revenue less all AI cost, users without a plan included.</p>`,
  ].join('\n');
}
