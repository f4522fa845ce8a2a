import type { CostReportModel } from '../../src/reports/cost-report-model';
import { reportQuery } from '../../src/dashboard/view/finance';
import { formatCount, formatPercent, formatUsd } from '../../src/dashboard/view/format';
import { getJson } from '../api';
import { figure, h } from '../dom';
import type { Page, PageContext } from '../page';
import { nothingHere } from '../states';
import { reportDownloads, topItemsChart } from './report-parts';

const num = (text: string | HTMLElement) => h('td', { class: 'num' }, text);
/** A grouping by user can be long; the table shows the dearest and the CSV has them all. */
const shownUsers = 200;

async function render(context: PageContext) {
  const { state, range } = context;
  const report = await getJson<CostReportModel>(`/reports/cost?${reportQuery('user', range, 'json')}`);
  const plans = report.plans;
  const wanted = state.filters.user;
  const rows = (wanted ? report.rows.filter((row) => row.key === wanted) : report.rows).slice(0, shownUsers);
  const plansTable = plans
    ? h('div', { class: 'panel' },
        h('h2', null, 'Margin per plan'),
        h('p', { class: 'note' }, plans.method),
        h('table', { dataset: { table: 'plans' } },
          h('thead', null, h('tr', null, h('th', null, 'plan'), h('th', { class: 'num' }, 'monthly price'), h('th', { class: 'num' }, 'users'), h('th', { class: 'num' }, 'price over range'), h('th', { class: 'num' }, 'AI cost'), h('th', { class: 'num' }, 'margin'))),
          h('tbody', null, plans.plans.map((plan) => h('tr', { dataset: { plan: plan.plan ?? '' } },
            h('td', null, plan.plan ?? '(no plan)'), num(formatUsd(plan.monthly_price_usd)), num(formatCount(plan.users)), num(formatUsd(plan.price_usd)),
            num(figure('plan-cost', plan.cost_usd, formatUsd(plan.cost_usd))), num(figure('plan-margin', plan.margin_usd, formatUsd(plan.margin_usd)))))),
          h('tfoot', null, h('tr', { class: 'total' }, h('td', null, 'TOTAL'), num(''), num(''), num(formatUsd(plans.total_price_usd)), num(formatUsd(plans.total_cost_usd)), num(figure('plans-margin', plans.total_margin_usd, formatUsd(plans.total_margin_usd))))),
        ),
      )
    : h('p', { class: 'note' }, 'Add plan prices under finance.plans in spanlens.yaml (and send the plan as a span attribute, default user.plan) to see the margin per user and per plan.');
  return h('div', null,
    reportDownloads('user', range),
    h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('div', { class: 'label' }, 'AI cost'), figure('report-total', report.totals.cost_usd, formatUsd(report.totals.cost_usd)), h('div', { class: 'sub' }, `${formatCount(report.rows.filter((row) => row.key !== '').length)} users`)),
      plans ? h('div', { class: 'card' }, h('div', { class: 'label' }, 'Margin after AI cost'), figure('margin', plans.total_margin_usd, formatUsd(plans.total_margin_usd))) : null,
    ),
    report.rows.length === 0 ? nothingHere('No calls in this range.') : h('div', { class: 'panel' }, h('h2', null, 'Top users'), topItemsChart(report, 'top users by cost')),
    plansTable,
    h('div', { class: 'panel' },
      h('h2', null, wanted ? `User ${wanted}` : 'Cost per user'),
      h('table', { dataset: { table: 'users' } },
        h('thead', null, h('tr', null, h('th', null, 'user'), h('th', { class: 'num' }, 'cost'), h('th', { class: 'num' }, 'share'), h('th', { class: 'num' }, 'calls'), h('th', { class: 'num' }, 'unpriced'),
          plans ? [h('th', null, 'plan'), h('th', { class: 'num' }, 'plan price'), h('th', { class: 'num' }, 'margin')] : null)),
        h('tbody', null, rows.map((row) => h('tr', { dataset: { key: row.key } },
          h('td', null, row.key || '(anonymous)'), num(figure('user-cost', row.cost_usd, formatUsd(row.cost_usd))), num(formatPercent(row.share_of_cost)), num(formatCount(row.calls)), num(formatCount(row.unpriced_calls)),
          plans ? [h('td', null, row.plan ?? '—'), num(formatUsd(row.plan_price_usd ?? null)), num(figure('user-margin', row.margin_usd ?? null, formatUsd(row.margin_usd ?? null)))] : null))),
      ),
      report.rows.length > shownUsers ? h('p', { class: 'note' }, `The ${shownUsers} dearest of ${report.rows.length} users; the CSV has them all.`) : null,
    ),
  );
}

export const usersPage: Page = { title: 'Users', render };
