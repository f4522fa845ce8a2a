import type { Breakdown } from '../../src/overview/query-breakdown';
import type { CostReportModel } from '../../src/reports/cost-report-model';
import { featureMargin, reportQuery } from '../../src/dashboard/view/finance';
import { formatCount, formatPercent, formatUsd } from '../../src/dashboard/view/format';
import { apiParams } from '../../src/dashboard/view/view-state';
import { getJson } from '../api';
import { figure, h } from '../dom';
import type { Page, PageContext } from '../page';
import { nothingHere } from '../states';
import { reportCostChart, reportDownloads, topItemsChart } from './report-parts';

const num = (text: string | HTMLElement) => h('td', { class: 'num' }, text);

async function render(context: PageContext) {
  const { state, range } = context;
  const [report, breakdown] = await Promise.all([
    getJson<CostReportModel>(`/reports/cost?${reportQuery('feature', range, 'json')}`),
    getJson<Breakdown>(`/breakdown?${apiParams(range, state.filters, { group_by: 'feature', then: 'user', limit: '5' })}`),
  ]);
  const topUsers = new Map(breakdown.rows.map((row) => [row.key, row.top]));
  const hasRevenue = report.revenue !== undefined;
  const totals = report.totals;
  const margin = hasRevenue ? featureMargin(totals.revenue_usd, totals.cost_usd) : null;
  const narrowed = Object.keys(state.filters).some((name) => name !== 'feature');
  const rows = report.rows.map((row) => {
    const users = topUsers.get(row.key) ?? [];
    return h('tr', { class: state.filters.feature === row.key ? 'highlight' : '', dataset: { key: row.key } },
      h('td', null, row.key || '(no feature)'),
      num(figure('feature-cost', row.cost_usd, formatUsd(row.cost_usd))),
      num(formatPercent(row.share_of_cost)),
      num(figure('feature-calls', row.calls, formatCount(row.calls))),
      num(formatCount(row.input_tokens)),
      num(formatCount(row.output_tokens)),
      num(formatCount(row.unpriced_calls)),
      hasRevenue ? num(formatUsd(row.revenue_usd ?? null)) : null,
      hasRevenue ? num(formatPercent(row.cost_share_of_revenue ?? null)) : null,
      hasRevenue ? num(figure('feature-margin', featureMargin(row.revenue_usd, row.cost_usd), formatUsd(featureMargin(row.revenue_usd, row.cost_usd)))) : null,
      h('td', { class: 'top-users' }, users.length === 0 ? '—' : users.map((user, i) => [i > 0 ? ', ' : '', `${user.key || '(anonymous)'} ${formatUsd(user.cost_usd)}`])),
    );
  });
  return h('div', null,
    reportDownloads('feature', range),
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'AI cost'), figure('report-total', totals.cost_usd, formatUsd(totals.cost_usd)), h('div', { class: 'sub' }, `${formatCount(totals.calls)} calls, ${formatCount(totals.unpriced_calls)} unpriced`)),
      hasRevenue ? h('div', { class: 'card' }, h('div', { class: 'label' }, 'Revenue (configured features)'), figure('revenue', totals.revenue_usd ?? null, formatUsd(totals.revenue_usd)), h('div', { class: 'sub' }, `AI cost is ${formatPercent(totals.cost_share_of_revenue ?? null)} of it`)) : null,
      hasRevenue ? h('div', { class: 'card' }, h('div', { class: 'label' }, 'Margin after AI cost'), figure('margin', margin, formatUsd(margin))) : null,
    ),
    hasRevenue ? null : h('p', { class: 'note' }, 'Add monthly revenue per feature under finance.features in spanlens.yaml to see AI cost as a share of revenue and the margin.'),
    narrowed ? h('p', { class: 'note' }, 'The finance report covers every call in the range; the model, user and prompt filters narrow the top users only.') : null,
    report.rows.length === 0 ? nothingHere('No calls in this range.') : h('div', { class: 'grid2' },
      h('div', { class: 'panel' }, h('h2', null, 'Cost over time by feature'), reportCostChart(report, 'cost over time by feature')),
      h('div', { class: 'panel' }, h('h2', null, 'Dearest features'), topItemsChart(report, 'dearest features')),
    ),
    h('div', { class: 'panel' },
      h('h2', null, 'Cost by feature'),
      h('table', { dataset: { table: 'features' } },
        h('thead', null, h('tr', null, h('th', null, 'feature'), h('th', { class: 'num' }, 'cost'), h('th', { class: 'num' }, 'share'), h('th', { class: 'num' }, 'calls'), h('th', { class: 'num' }, 'input tokens'), h('th', { class: 'num' }, 'output tokens'), h('th', { class: 'num' }, 'unpriced'),
          hasRevenue ? [h('th', { class: 'num' }, 'revenue'), h('th', { class: 'num' }, 'cost / revenue'), h('th', { class: 'num' }, 'margin')] : null, h('th', null, 'top users'))),
        h('tbody', null, rows),
        h('tfoot', null, h('tr', { class: 'total' }, h('td', null, 'TOTAL'), num(formatUsd(totals.cost_usd)), num(''), num(formatCount(totals.calls)), num(formatCount(totals.input_tokens)), num(formatCount(totals.output_tokens)), num(formatCount(totals.unpriced_calls)),
          hasRevenue ? [num(formatUsd(totals.revenue_usd)), num(formatPercent(totals.cost_share_of_revenue ?? null)), num(formatUsd(margin))] : null, h('td', null, ''))),
      ),
    ),
  );
}

export const featuresPage: Page = { title: 'Cost by feature', render };
