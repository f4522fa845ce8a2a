import type { ClickHouseClient } from '@clickhouse/client';
import type { FinanceConfig } from '@spanlens/core';
import { queryCosts } from '../costs/query-costs';
import { assembleCostReport, overTimeSeries } from './assemble-cost-report';
import { overTimeUnit } from './calendar';
import type { CostReportModel } from './cost-report-model';
import { queryCostBuckets } from '../costs/query-cost-buckets';
import { queryUserPlans } from './query-user-plans';
import type { ReportGrouping } from './report-query';

export interface CostReportSource {
  client: ClickHouseClient;
  database: string;
  finance: FinanceConfig;
  now?: () => Date;
}

export interface CostReportRange {
  by: ReportGrouping;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * Reads what the finance report needs and assembles it: per-key totals from
 * queryCosts (so they equal `GET /api/v1/costs`), per-month and per-hour or
 * -day buckets read the same way, and by=user the plan of each user.
 */
export async function buildCostReport(source: CostReportSource, range: CostReportRange): Promise<CostReportModel> {
  const { client, database, finance } = source;
  const { by, from, to } = range;
  const costs = await queryCosts(client, database, { groupBy: by, from, to });
  const unit = overTimeUnit(from.getTime(), to.getTime());
  const keys = costs.rows.slice(0, overTimeSeries).map((row) => row.key);
  const [monthRows, overTimeRows, userPlans] = await Promise.all([
    queryCostBuckets(client, database, { groupBy: by, from, to, unit: 'month' }),
    queryCostBuckets(client, database, { groupBy: by, from, to, unit, keep: keys }),
    by === 'user' && finance.plans.length > 0 ? queryUserPlans(client, database, { from, to, attribute: finance.user_plan_attribute }) : undefined,
  ]);
  return assembleCostReport({
    by,
    from,
    to,
    generatedAt: (source.now ?? (() => new Date()))(),
    costs,
    monthRows,
    overTime: { unit, keys, rows: overTimeRows },
    finance,
    userPlans,
  });
}
