import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import type { Job, JobWindow } from '../jobs/job';
import { dateTime64Param } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { satisfactionSql } from '../satisfaction/satisfaction-sql';
import { digestFindings, type DigestInput, type VersionFigures } from './digest-findings';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far before its day a digest reads (spend against the week before, over two weeks). */
export const DIGEST_LOOKBACK_DAYS = 13;

/** A short daily summary with recommendations, for the UTC day before the run. */
export const digestJob: Job = {
  name: 'digest',
  description: 'daily summary: cost per call, prompt versions, model errors and spend against the week before',
  defaultSchedule: '0 6 * * *',
  window(end) {
    const dayEnd = new Date(Math.floor(end.getTime() / DAY_MS) * DAY_MS);
    return { start: new Date(dayEnd.getTime() - DAY_MS), end: dayEnd };
  },
  async run({ client, database, window }) {
    const digest = digestFindings(await digestInput(client, database, window));
    await client.insert({
      table: tableName(database, 'digests'),
      values: [{ day: digest.day, body: JSON.stringify(digest), computed_at: (Date.now() / 1000).toFixed(3) }],
      format: 'JSONEachRow',
    });
    return { rows: 1, detail: `${digest.day}: ${digest.findings.length - 1} findings` };
  },
};

async function digestInput(client: ClickHouseClient, database: string, day: JobWindow): Promise<DigestInput> {
  const at = (offsetDays: number) => dateTime64Param(day.start.getTime() + offsetDays * DAY_MS);
  const params = { before: at(-7), day_start: at(0), day_end: at(1), spend_from: at(-DIGEST_LOOKBACK_DAYS), spend_split: at(-6) };
  const inDay = "start_time >= {day_start:DateTime64(3, 'UTC')}";
  const groups = await rows<Record<string, string>>(client, `
    SELECT pair.1 AS dimension, pair.2 AS key,
           countIf(${inDay}) AS calls_day, toString(sumIf(${spanCostDecimal}, ${inDay})) AS cost_day, countIf(is_error AND ${inDay}) AS errors_day,
           countIf(NOT ${inDay}) AS calls_before, toString(sumIf(${spanCostDecimal}, NOT ${inDay})) AS cost_before, countIf(is_error AND NOT ${inDay}) AS errors_before
    FROM ${dedupedSpansSql(database, ['feature', 'model', 'is_error', 'cost_usd', 'start_time'], "start_time >= {before:DateTime64(3, 'UTC')} AND start_time < {day_end:DateTime64(3, 'UTC')}")}
    ARRAY JOIN [('feature', toString(feature)), ('model', toString(model))] AS pair
    GROUP BY dimension, key`, params);
  const features: DigestInput['features'] = new Map();
  const models: DigestInput['models'] = new Map();
  for (const g of groups) {
    const figures = {
      day: { calls: Number(g.calls_day), cost_usd: Number(g.cost_day), errors: Number(g.errors_day) },
      before: { calls: Number(g.calls_before), cost_usd: Number(g.cost_before), errors: Number(g.errors_before) },
    };
    (g.dimension === 'feature' ? features : models).set(String(g.key), figures);
  }

  const versionRows = await rows<Record<string, string>>(client, `
    SELECT prompt_id, prompt_version, count() AS calls, toString(sum(${spanCostDecimal})) AS cost, countIf(is_error) AS errors
    FROM ${dedupedSpansSql(database, ['prompt_id', 'prompt_version', 'is_error', 'cost_usd'], `prompt_id != '' AND ${inDay} AND start_time < {day_end:DateTime64(3, 'UTC')}`)}
    GROUP BY prompt_id, prompt_version`, params);
  const votes = await rows<{ dimension: string; key: string; votes: string; positive: string }>(client, satisfactionSql(database), { start: params.day_start, end: params.day_end });
  const votesByKey = new Map(votes.filter((v) => v.dimension === 'prompt').map((v) => [v.key, v]));
  const versions: VersionFigures[] = versionRows.map((v) => {
    const key = v.prompt_version === '' ? String(v.prompt_id) : `${v.prompt_id}@${v.prompt_version}`;
    const vote = votesByKey.get(key);
    return {
      prompt_id: String(v.prompt_id),
      version: String(v.prompt_version),
      calls: Number(v.calls),
      cost_usd: Number(v.cost),
      errors: Number(v.errors),
      votes: Number(vote?.votes ?? 0),
      positive: Number(vote?.positive ?? 0),
    };
  });

  const [spend] = await rows<{ last7: string; previous7: string }>(client, `
    SELECT toString(sumIf(${spanCostDecimal}, start_time >= {spend_split:DateTime64(3, 'UTC')})) AS last7,
           toString(sumIf(${spanCostDecimal}, start_time < {spend_split:DateTime64(3, 'UTC')})) AS previous7
    FROM ${dedupedSpansSql(database, ['cost_usd', 'start_time'], "start_time >= {spend_from:DateTime64(3, 'UTC')} AND start_time < {day_end:DateTime64(3, 'UTC')}")}`, params);
  return {
    day: day.start.toISOString().slice(0, 10),
    features,
    models,
    versions,
    spend: { last7: Number(spend?.last7 ?? 0), previous7: Number(spend?.previous7 ?? 0) },
  };
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

