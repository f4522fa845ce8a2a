import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { dateTime64Param } from '../rollup/hour-states';

export interface UserPlansQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** The span attribute that names the plan (`finance.user_plan_attribute`). */
  attribute: string;
}

/**
 * Each user's plan: the value of the plan attribute on the user's latest span
 * in the range that has one, so a user who upgraded mid-range is reported on
 * the new plan. Users whose spans never name a plan are absent.
 */
export async function queryUserPlans(client: ClickHouseClient, database: string, query: UserPlansQuery): Promise<Map<string, string>> {
  const result = await client.query({
    query: `SELECT user_id, argMax(attributes[{attribute:String}], start_time) AS plan
            FROM ${tableName(database, 'llm_spans')}
            WHERE start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}
              AND user_id != '' AND attributes[{attribute:String}] != ''
            GROUP BY user_id`,
    query_params: { attribute: query.attribute, from: dateTime64Param(query.from.getTime()), to: dateTime64Param(query.to.getTime()) },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ user_id: string; plan: string }>();
  return new Map(rows.map((row) => [row.user_id, row.plan]));
}
