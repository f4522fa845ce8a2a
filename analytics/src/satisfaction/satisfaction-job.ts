import { tableName } from '@spanlens/core';
import { floorToMinutes, type Job } from '../jobs/job';
import { wilsonInterval } from '../stats/wilson';
import { dateTime64Param } from '../rollup/hour-states';
import { satisfactionSql, unattributedDimension } from './satisfaction-sql';

const DAY_MS = 24 * 60 * 60 * 1000;

interface VoteRow {
  dimension: string;
  key: string;
  votes: string;
  positive: string;
  calls: string;
  cost_usd: string;
}

/**
 * Satisfaction per feature, prompt (id@version) and model over the last 24 h:
 * the share of positive votes with its 95% Wilson interval, the number of
 * votes, and the cost per positively rated answer (the cost of all the
 * group's calls in the window divided by its positive votes).
 */
export const satisfactionJob: Job = {
  name: 'satisfaction',
  description: 'satisfaction rate with 95% Wilson interval per feature, prompt and model (last 24 h)',
  defaultSchedule: '*/5 * * * *',
  window(end) {
    const windowEnd = floorToMinutes(end, 5);
    return { start: new Date(windowEnd.getTime() - DAY_MS), end: windowEnd };
  },
  async run({ client, database, window }) {
    const result = await client.query({
      query: satisfactionSql(database),
      query_params: { start: dateTime64Param(window.start.getTime()), end: dateTime64Param(window.end.getTime()) },
      format: 'JSONEachRow',
    });
    const all = await result.json<VoteRow>();
    const rows = all.filter((row) => row.dimension !== unattributedDimension);
    const unattributed = Number(all.find((row) => row.dimension === unattributedDimension)?.votes ?? 0);
    const computedAt = (Date.now() / 1000).toFixed(3);
    const values = rows.map((row) => {
      const votes = Number(row.votes);
      const positive = Number(row.positive);
      const interval = wilsonInterval(positive, votes);
      const cost = Number(row.cost_usd);
      return {
        window_start: Math.floor(window.start.getTime() / 1000),
        window_end: Math.floor(window.end.getTime() / 1000),
        dimension: row.dimension,
        key: row.key,
        votes,
        positive,
        rate: interval.rate,
        wilson_low: interval.low,
        wilson_high: interval.high,
        calls: Number(row.calls),
        cost_usd: row.cost_usd,
        cost_per_positive_usd: positive > 0 ? cost / positive : null,
        computed_at: computedAt,
      };
    });
    if (values.length > 0) {
      await client.insert({ table: tableName(database, 'satisfaction'), values, format: 'JSONEachRow' });
    }
    const totalVotes = values.filter((v) => v.dimension === 'feature').reduce((sum, v) => sum + v.votes, 0);
    return { rows: values.length, detail: `${totalVotes} votes in ${values.length} groups; ${unattributed} for traces not stored` };
  },
};
