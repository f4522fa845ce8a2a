import type { CostReport, FinanceConfig } from '@spanlens/core';
import { bucketsOf, monthsOf, type MonthSlice } from './calendar';
import type { CostOverTime, CostReportModel, MonthOverMonth, MonthOverMonthLine, ReportRow, ReportTotals, TopItem } from './cost-report-model';
import { applyPlans, applyRevenue } from './finance-sections';
import { changeRatio, nanoToUsd, picoToNano, shareOf, type Nano } from './money';
import type { CostBucketRow } from '../costs/query-cost-buckets';
import type { ReportGrouping } from './report-query';

/** Series drawn on their own in the cost-over-time chart; the rest are "other". */
export const overTimeSeries = 8;
export const topItemCount = 10;

export interface CostReportInputs {
  by: ReportGrouping;
  from: Date;
  to: Date;
  generatedAt: Date;
  /** queryCosts for the range: the authority for every per-key total. */
  costs: CostReport;
  /** Per (month, key) over the range, every key on its own. */
  monthRows: CostBucketRow[];
  overTime: { unit: 'hour' | 'day'; keys: string[]; rows: CostBucketRow[] };
  finance: FinanceConfig;
  /** by=user: each user's plan, when plans are configured. */
  userPlans?: Map<string, string>;
}

/** The report model from the figures read for it. Pure: no clock, no I/O. */
export function assembleCostReport(inputs: CostReportInputs): CostReportModel {
  const { costs, monthRows } = inputs;
  const fromMs = inputs.from.getTime();
  const toMs = inputs.to.getTime();

  // Cache-read and reasoning tokens are not in queryCosts; the month buckets
  // cover the same range read the same way, so their sums per key are the range's.
  const extraTokens = new Map<string, { cache: number; reasoning: number }>();
  for (const row of monthRows) {
    const tokens = extraTokens.get(row.key) ?? { cache: 0, reasoning: 0 };
    tokens.cache += row.cacheReadTokens;
    tokens.reasoning += row.reasoningTokens;
    extraTokens.set(row.key, tokens);
  }
  const rows: ReportRow[] = costs.rows.map((row) => ({
    key: row.key,
    cost_usd: row.cost_usd,
    share_of_cost: shareOf(row.cost_usd, costs.total_cost_usd),
    calls: row.calls,
    input_tokens: row.input_tokens,
    output_tokens: row.output_tokens,
    cache_read_tokens: extraTokens.get(row.key)?.cache ?? 0,
    reasoning_tokens: extraTokens.get(row.key)?.reasoning ?? 0,
    unpriced_calls: row.unpriced_calls,
  }));
  const totals: ReportTotals = {
    cost_usd: costs.total_cost_usd,
    calls: sum(rows, (row) => row.calls),
    input_tokens: sum(rows, (row) => row.input_tokens),
    output_tokens: sum(rows, (row) => row.output_tokens),
    cache_read_tokens: sum(rows, (row) => row.cache_read_tokens),
    reasoning_tokens: sum(rows, (row) => row.reasoning_tokens),
    unpriced_calls: sum(rows, (row) => row.unpriced_calls),
  };

  const model: CostReportModel = {
    report: 'cost',
    by: inputs.by,
    from: inputs.from.toISOString(),
    to: inputs.to.toISOString(),
    generated_at: inputs.generatedAt.toISOString(),
    currency: 'USD',
    totals,
    rows,
    over_time: costOverTime(fromMs, toMs, inputs.overTime),
    top_items: topItems(rows),
    month_over_month: monthOverMonth(monthsOf(fromMs, toMs), rows, monthRows),
  };
  const range = { fromMs, toMs };
  if (inputs.by === 'feature' && inputs.finance.features.length > 0) model.revenue = applyRevenue(rows, totals, inputs.finance.features, range);
  if (inputs.by === 'user' && inputs.finance.plans.length > 0) {
    model.plans = applyPlans(rows, totals, { plans: inputs.finance.plans, attribute: inputs.finance.user_plan_attribute, userPlans: inputs.userPlans ?? new Map() }, range);
  }
  return model;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

function costOverTime(fromMs: number, toMs: number, input: CostReportInputs['overTime']): CostOverTime {
  const index = new Map(input.keys.map((key, i) => [key, i]));
  const perBucket = new Map<number, { keys: bigint[]; other: bigint; total: bigint }>();
  for (const row of input.rows) {
    const bucket = perBucket.get(row.bucket) ?? { keys: input.keys.map(() => 0n), other: 0n, total: 0n };
    const i = row.other ? undefined : index.get(row.key);
    if (i === undefined) bucket.other += row.costPico;
    else bucket.keys[i]! += row.costPico;
    bucket.total += row.costPico;
    perBucket.set(row.bucket, bucket);
  }
  const usd = (pico: bigint) => nanoToUsd(picoToNano(pico));
  const points = bucketsOf(fromMs, toMs, input.unit).map((bucket) => {
    const sums = perBucket.get(bucket.start);
    return {
      start: new Date(bucket.start).toISOString(),
      from: new Date(bucket.from).toISOString(),
      to: new Date(bucket.to).toISOString(),
      costs_usd: input.keys.map((_, i) => usd(sums?.keys[i] ?? 0n)),
      other_usd: usd(sums?.other ?? 0n),
      total_usd: usd(sums?.total ?? 0n),
    };
  });
  return { unit: input.unit, keys: input.keys, has_other: input.rows.some((row) => row.other), points };
}

function topItems(rows: readonly ReportRow[]): TopItem[] {
  return rows
    .filter((row) => row.cost_usd > 0)
    .slice(0, topItemCount)
    .map((row) => ({ key: row.key, cost_usd: row.cost_usd, share_of_cost: row.share_of_cost, calls: row.calls }));
}

function monthOverMonth(months: MonthSlice[], rows: readonly ReportRow[], monthRows: readonly CostBucketRow[]): MonthOverMonth {
  const column = new Map(months.map((month, i) => [month.start, i]));
  // Exact picodollars, rounded once per figure; the total line is the exact
  // sum of each month rounded once, as queryCosts rounds its total.
  const byKey = new Map<string, bigint[]>(rows.map((row) => [row.key, months.map(() => 0n)]));
  for (const row of monthRows) {
    const i = column.get(row.bucket);
    if (i === undefined) continue;
    let costs = byKey.get(row.key);
    // A key whose first span arrived after queryCosts ran: shown rather than dropped.
    if (!costs) byKey.set(row.key, (costs = months.map(() => 0n)));
    costs[i]! += row.costPico;
  }
  const totals = months.map((_, i) => [...byKey.values()].reduce((total, costs) => total + costs[i]!, 0n));
  return {
    months: months.map((month) => ({
      month: month.month,
      from: new Date(month.from).toISOString(),
      to: new Date(month.to).toISOString(),
      days: month.days,
      days_in_month: month.daysInMonth,
      complete: month.complete,
    })),
    rows: [...byKey].map(([key, costs]) => ({ key, ...monthLine(costs.map(picoToNano)) })),
    total: monthLine(totals.map(picoToNano)),
  };
}

function monthLine(costs: Nano[]): MonthOverMonthLine {
  return {
    costs_usd: costs.map(nanoToUsd),
    change_usd: costs.map((cost, i) => (i === 0 ? null : nanoToUsd(cost - costs[i - 1]!))),
    change_ratio: costs.map((cost, i) => (i === 0 ? null : changeRatio(cost, costs[i - 1]!))),
  };
}
