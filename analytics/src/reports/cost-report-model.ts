import type { ReportGrouping } from './report-query';

/**
 * The finance report of AI cost over a range, grouped by one dimension: what
 * `format=json` returns and what the CSV and HTML renderers draw from. Money
 * is in US dollars rounded to a nanodollar; ratios are fractions (0.25 is
 * 25 %); null means "not defined" (a share of zero revenue, a user without a
 * priced plan), never zero.
 */
export interface CostReportModel {
  report: 'cost';
  by: ReportGrouping;
  /** Inclusive, ISO 8601. */
  from: string;
  /** Exclusive, ISO 8601. */
  to: string;
  generated_at: string;
  currency: 'USD';
  /** Equal to `GET /api/v1/costs` for the same grouping and range. */
  totals: ReportTotals;
  /** One per key, by cost descending, as `GET /api/v1/costs` orders them. */
  rows: ReportRow[];
  over_time: CostOverTime;
  /** The most expensive keys (at most 10). */
  top_items: TopItem[];
  month_over_month: MonthOverMonth;
  /** by=feature with `finance.features` configured. */
  revenue?: RevenueSection;
  /** by=user with `finance.plans` configured. */
  plans?: PlansSection;
}

export interface TokenCounts {
  calls: number;
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  reasoning_tokens: number;
  /** Calls of a model without a price: their cost is unknown, not zero. */
  unpriced_calls: number;
}

export interface ReportRow extends TokenCounts {
  /** Feature, user id, model or `prompt_id@version`; "" for calls that did not say. */
  key: string;
  cost_usd: number;
  /** Of the total cost. */
  share_of_cost: number | null;
  /** by=feature with revenue configured: the feature's revenue over the range, null when not configured. */
  revenue_usd?: number | null;
  cost_share_of_revenue?: number | null;
  /** by=user with plans configured: the user's latest plan in the range, null when spans never named one. */
  plan?: string | null;
  /** The plan's monthly price prorated to the range, null when the plan has no configured price. */
  plan_price_usd?: number | null;
  /** plan_price_usd − cost_usd. */
  margin_usd?: number | null;
}

export interface ReportTotals extends TokenCounts {
  cost_usd: number;
  /** by=feature with revenue: all configured features' revenue over the range. */
  revenue_usd?: number;
  /** Total AI cost (every feature, unattributed calls too) over total revenue. */
  cost_share_of_revenue?: number | null;
  /** by=user with plans: the prorated prices of all users with a priced plan. */
  plan_price_usd?: number;
  /** plan_price_usd − the total AI cost, users without a plan included. */
  margin_usd?: number;
}

export interface CostOverTime {
  unit: 'hour' | 'day';
  /** The top keys by cost (at most 8), each a series; every other key is summed into `other_usd`. */
  keys: string[];
  has_other: boolean;
  points: OverTimePoint[];
}

export interface OverTimePoint {
  /** Start of the calendar hour or day. */
  start: string;
  /** The part of it inside the range. */
  from: string;
  to: string;
  /** Parallel to `keys`. */
  costs_usd: number[];
  other_usd: number;
  total_usd: number;
}

export interface TopItem {
  key: string;
  cost_usd: number;
  share_of_cost: number | null;
  calls: number;
}

export interface ReportMonth {
  /** `YYYY-MM`. */
  month: string;
  /** The part of the month inside the range. */
  from: string;
  to: string;
  days: number;
  days_in_month: number;
  /** The whole month lies inside the range; a partial month compares unevenly with a whole one. */
  complete: boolean;
}

export interface MonthOverMonthLine {
  /** Parallel to `months`. */
  costs_usd: number[];
  /** Against the month before, in the range; null for the first month. */
  change_usd: Array<number | null>;
  /** Null for the first month and after a month without cost. */
  change_ratio: Array<number | null>;
}

export interface MonthOverMonth {
  months: ReportMonth[];
  /** Every key, in the order of `rows`. */
  rows: Array<MonthOverMonthLine & { key: string }>;
  total: MonthOverMonthLine;
}

export interface RevenueSection {
  /** How revenue is prorated, in words, for readers of the file. */
  method: string;
  /** Every configured feature, with or without calls in the range. */
  features: Array<{ feature: string; monthly_revenue_usd: number; revenue_usd: number; cost_usd: number; cost_share_of_revenue: number | null }>;
  total_revenue_usd: number;
  /** Every feature's cost, unattributed calls included. */
  total_cost_usd: number;
  cost_share_of_revenue: number | null;
}

export interface PlansSection {
  method: string;
  /** The span attribute that names a user's plan. */
  attribute: string;
  /** One line per plan seen or configured; `plan` null for users whose spans never named one. */
  plans: Array<{ plan: string | null; monthly_price_usd: number | null; users: number; price_usd: number | null; cost_usd: number; margin_usd: number | null }>;
  total_price_usd: number;
  total_cost_usd: number;
  total_margin_usd: number;
}
