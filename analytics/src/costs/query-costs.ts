import type { ClickHouseClient } from '@clickhouse/client';
import { costKeyExpressions } from '../rollup/span-sql';
import type { CostGrouping, CostReport } from '@spanlens/core';
import { queryCostBuckets, type CostBucketRow } from './query-cost-buckets';
import { picoToUsd } from './usd';

export interface CostQuery {
  groupBy: CostGrouping;
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
}

/**
 * Cost, calls and tokens over [from, to), grouped. Whole hours whose rollup
 * snapshot is fresh are read from llm_spans_hourly; partial edge hours and
 * stale or never-rolled hours are read from llm_spans, deduped — so figures
 * are identical whether or not, and however recently, the rollup ran (see
 * queryCostBuckets, which this reads as one bucket).
 *
 * Rows are rounded to a nanodollar each; total_cost_usd is the exact sum over
 * all spans rounded once, so it may differ from the sum of rounded rows by
 * less than a nanodollar per row.
 */
export async function queryCosts(client: ClickHouseClient, database: string, query: CostQuery): Promise<CostReport> {
  if (!costKeyExpressions[query.groupBy]) throw new RangeError(`unknown cost grouping "${String(query.groupBy)}"`);
  if (Number.isNaN(query.from.getTime()) || Number.isNaN(query.to.getTime())) throw new RangeError('from and to must be valid dates');
  if (query.from > query.to) throw new RangeError(`from (${query.from.toISOString()}) is after to (${query.to.toISOString()})`);
  const groups = await queryCostBuckets(client, database, { groupBy: query.groupBy, from: query.from, to: query.to, unit: 'all', costOnly: true });
  return buildReport(query, groups);
}

function buildReport(query: CostQuery, groups: CostBucketRow[]): CostReport {
  let totalPico = 0n;
  const rows = groups.map((group) => {
    totalPico += group.costPico;
    return {
      key: group.key,
      cost_usd: picoToUsd(group.costPico),
      calls: group.calls,
      input_tokens: group.inputTokens,
      output_tokens: group.outputTokens,
      unpriced_calls: group.unpricedCalls,
    };
  });
  rows.sort((a, b) => b.cost_usd - a.cost_usd || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    group_by: query.groupBy,
    total_cost_usd: picoToUsd(totalPico),
    rows,
  };
}
