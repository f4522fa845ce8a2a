// Where the time of one 30-day cost query goes, step by step, in-process
// (no HTTP): `npx tsx bench/costs-profile.ts --spans 1000000`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, openClickHouse } from '@spanlens/core';
import { queryCosts, refreshRollup } from '@spanlens/analytics';
import { refreshDailyRollup, usableDays } from '../analytics/src/rollup/daily-rollup';
import { queryCostBuckets } from '../analytics/src/costs/query-cost-buckets';
import { queryOverview } from '../analytics/src/overview/query-overview';
import { queryOverviewSeries } from '../analytics/src/overview/query-overview-series';
import { readHourStates, readSnapshots, freshHoursOf } from '../analytics/src/rollup/hour-states';
import { loadWorkload } from './src/jobs-load';

const spans = Number(process.argv[process.argv.indexOf('--spans') + 1] ?? 1_000_000) || 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'spanlens-costs-profile-'));
const client = await openClickHouse({ data_dir: dir, database: 'prof', clickhouse: { user: 'default', password: '' } });
try {
  await migrate(client, 'prof');
  const now = new Date();
  await loadWorkload(client, 'prof', { spans, days: 30, chunkRows: 1_000_000, now, onProgress: () => undefined });
  for (let i = 0; i < 40; i++) if ((await refreshRollup(client, 'prof', { now, maxHours: 168 })).hoursStillStale === 0) break;
  for (let i = 0; i < 3; i++) await refreshDailyRollup(client, 'prof', { now, maxDays: 31 });
  const from = new Date(now.getTime() - 30 * 86_400_000);
  const time = async (label: string, run: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      await run();
      samples.push(performance.now() - start);
    }
    samples.sort((a, b) => a - b);
    console.log(`${label.padEnd(34)} median ${samples[3]!.toFixed(1).padStart(7)} ms   min ${samples[0]!.toFixed(1).padStart(7)} ms`);
  };
  const whole = { from: Math.ceil(from.getTime() / 3_600_000) * 3600, to: Math.floor(now.getTime() / 3_600_000) * 3600 };
  const states = await readHourStates(client, 'prof', whole);
  await time('SELECT 1 (round trip)', () => client.query({ query: 'SELECT 1', format: 'JSONEachRow' }).then((r) => r.json()));
  await time('readHourStates', () => readHourStates(client, 'prof', whole));
  await time('usableDays', () => usableDays(client, 'prof', { from: Math.ceil(from.getTime() / 86_400_000) * 86_400, to: Math.floor(now.getTime() / 86_400_000) * 86_400 }, states));
  await time('readSnapshots', () => readSnapshots(client, 'prof', whole));
  console.log(`fresh hours: ${freshHoursOf(states).size}`);
  const dailySql = (extra: string) => `SELECT key, toString(sum(cost_usd)) AS cost, sum(calls) AS calls, sum(input_tokens) AS i, sum(output_tokens) AS o, sum(unpriced_calls) AS u ${extra}
    FROM prof.llm_spans_daily WHERE dimension = 'user' GROUP BY key`;
  const [count] = await (await client.query({ query: "SELECT count() AS n FROM prof.llm_spans_daily WHERE dimension = 'user'", format: 'JSONEachRow' })).json<{ n: string }>();
  console.log(`daily user rows: ${count?.n}`);
  await time('daily user GROUP BY, JSONEachRow', () => client.query({ query: dailySql(''), format: 'JSONEachRow' }).then((r) => r.json()));
  await time('daily user GROUP BY, count only', () => client.query({ query: `SELECT count() FROM (${dailySql('')})`, format: 'JSONEachRow' }).then((r) => r.json()));
  await time('daily user GROUP BY, Float64 sum', () => client.query({ query: `SELECT count() FROM (SELECT key, sum(toFloat64(cost_usd)) FROM prof.llm_spans_daily WHERE dimension = 'user' GROUP BY key)`, format: 'JSONEachRow' }).then((r) => r.json()));
  await time('daily user GROUP BY, JSONCompact', () => client.query({ query: dailySql(''), format: 'JSONCompactEachRow' }).then((r) => r.json()));
  await time('queryCostBuckets user', () => queryCostBuckets(client, 'prof', { groupBy: 'user', from, to: now, unit: 'all' }));
  const hourAligned = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const dayAligned = new Date(Math.floor(now.getTime() / 86_400_000) * 86_400_000);
  await time('queryCostBuckets user, whole hours', () => queryCostBuckets(client, 'prof', { groupBy: 'user', from: new Date(hourAligned.getTime() - 30 * 86_400_000), to: hourAligned, unit: 'all' }));
  await time('queryCostBuckets user, whole days', () => queryCostBuckets(client, 'prof', { groupBy: 'user', from: new Date(dayAligned.getTime() - 30 * 86_400_000), to: dayAligned, unit: 'all' }));
  // The dashboard's overview over 7 and 30 days (it reads raw spans for exact quantiles).
  for (const days of [7, 30]) {
    const since = new Date(now.getTime() - days * 86_400_000);
    await time(`dashboard overview ${days}d`, () => queryOverview(client, 'prof', { from: since, to: now, filters: {}, now }));
    await time(`dashboard series ${days}d (feature)`, () => queryOverviewSeries(client, 'prof', { groupBy: 'feature', interval: days > 7 ? 'day' : 'hour', from: since, to: now, filters: {} }));
  }
  for (const groupBy of ['model', 'user'] as const) {
    await time(`queryCosts ${groupBy} (whole)`, () => queryCosts(client, 'prof', { groupBy, from, to: now }));
  }
} finally {
  await client.close();
  rmSync(dir, { recursive: true, force: true });
}
