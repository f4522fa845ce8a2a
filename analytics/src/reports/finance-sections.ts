import type { FinanceConfig } from '@spanlens/core';
import { prorateMonthly } from './calendar';
import type { PlansSection, ReportRow, ReportTotals, RevenueSection } from './cost-report-model';
import { nanoToUsd, shareOf, usdToNano, type Nano } from './money';

export interface ReportRange {
  fromMs: number;
  toMs: number;
}

const prorationMethod =
  'Monthly amounts are prorated to the range by calendar days: each UTC month the range touches contributes its amount times the share of its days inside the range';

/**
 * by=feature: each feature's revenue over the range (its monthly revenue
 * prorated) and AI cost as a share of it. Sets the revenue columns of `rows`
 * and `totals`; the total compares all AI cost, unattributed calls included,
 * with the revenue of every configured feature.
 */
export function applyRevenue(rows: ReportRow[], totals: ReportTotals, features: FinanceConfig['features'], range: ReportRange): RevenueSection {
  // A feature listed twice earns both amounts.
  const monthly = new Map<string, number>();
  for (const entry of features) monthly.set(entry.feature, (monthly.get(entry.feature) ?? 0) + entry.monthly_revenue_usd);
  const revenue = new Map<string, Nano>([...monthly].map(([feature, amount]) => [feature, usdToNano(prorateMonthly(amount, range.fromMs, range.toMs))]));

  for (const row of rows) {
    const earned = revenue.get(row.key);
    row.revenue_usd = earned === undefined ? null : nanoToUsd(earned);
    row.cost_share_of_revenue = earned === undefined ? null : shareOf(row.cost_usd, nanoToUsd(earned));
  }
  const costOf = new Map(rows.map((row) => [row.key, row.cost_usd]));
  const totalRevenue = nanoToUsd([...revenue.values()].reduce((total, amount) => total + amount, 0n));
  totals.revenue_usd = totalRevenue;
  totals.cost_share_of_revenue = shareOf(totals.cost_usd, totalRevenue);
  return {
    method: prorationMethod,
    features: [...monthly].map(([feature, amount]) => {
      const earned = nanoToUsd(revenue.get(feature)!);
      const cost = costOf.get(feature) ?? 0;
      return { feature, monthly_revenue_usd: amount, revenue_usd: earned, cost_usd: cost, cost_share_of_revenue: shareOf(cost, earned) };
    }),
    total_revenue_usd: totalRevenue,
    total_cost_usd: totals.cost_usd,
    cost_share_of_revenue: totals.cost_share_of_revenue,
  };
}

export interface PlanInputs {
  plans: FinanceConfig['plans'];
  attribute: string;
  /** User id → the plan named on the user's latest span in the range. */
  userPlans: ReadonlyMap<string, string>;
}

/**
 * by=user: each user's plan, the plan's price prorated to the range, and the
 * margin (price − AI cost); then one line per plan. A user whose plan has no
 * configured price, or who never named one, has no price and no margin. The
 * total margin is every priced user's price less all AI cost, since calls of
 * users without a plan are spent all the same.
 */
export function applyPlans(rows: ReportRow[], totals: ReportTotals, inputs: PlanInputs, range: ReportRange): PlansSection {
  // A plan configured twice: the later price wins, as a later YAML key would.
  const monthly = new Map(inputs.plans.map((entry) => [entry.plan, entry.monthly_price_usd]));
  const price = new Map<string, Nano>([...monthly].map(([plan, amount]) => [plan, usdToNano(prorateMonthly(amount, range.fromMs, range.toMs))]));

  interface PlanLine { users: number; price: Nano; cost: Nano }
  const lines = new Map<string | null, PlanLine>([...monthly.keys()].map((plan) => [plan, { users: 0, price: 0n, cost: 0n }]));
  for (const row of rows) {
    const plan = row.key === '' ? null : (inputs.userPlans.get(row.key) ?? null);
    const planPrice = plan === null ? undefined : price.get(plan);
    const cost = usdToNano(row.cost_usd);
    row.plan = plan;
    row.plan_price_usd = planPrice === undefined ? null : nanoToUsd(planPrice);
    row.margin_usd = planPrice === undefined ? null : nanoToUsd(planPrice - cost);
    const line = lines.get(plan) ?? { users: 0, price: 0n, cost: 0n };
    if (row.key !== '') line.users += 1;
    line.price += planPrice ?? 0n;
    line.cost += cost;
    lines.set(plan, line);
  }
  const totalPrice = [...lines.values()].reduce((total, line) => total + line.price, 0n);
  totals.plan_price_usd = nanoToUsd(totalPrice);
  totals.margin_usd = nanoToUsd(totalPrice - usdToNano(totals.cost_usd));

  const configured = [...monthly.keys()];
  const unknown = [...lines.keys()].filter((plan): plan is string => plan !== null && !monthly.has(plan)).sort();
  const order: Array<string | null> = [...configured, ...unknown, ...(lines.has(null) ? [null] : [])];
  return {
    method: `${prorationMethod}. A user's plan is the ${inputs.attribute} attribute of their latest span in the range that has one, and the user is charged the plan's price for the whole range`,
    attribute: inputs.attribute,
    plans: order.map((plan) => {
      const line = lines.get(plan)!;
      const priced = plan !== null && monthly.has(plan);
      return {
        plan,
        monthly_price_usd: priced ? monthly.get(plan)! : null,
        users: line.users,
        price_usd: priced ? nanoToUsd(line.price) : null,
        cost_usd: nanoToUsd(line.cost),
        margin_usd: priced ? nanoToUsd(line.price - line.cost) : null,
      };
    }),
    total_price_usd: totals.plan_price_usd,
    total_cost_usd: totals.cost_usd,
    total_margin_usd: totals.margin_usd,
  };
}
