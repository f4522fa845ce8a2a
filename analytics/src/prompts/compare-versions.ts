import type { ClickHouseClient } from '@clickhouse/client';
import { dateTime64Param } from '../rollup/hour-states';
import { dedupedSpansSql, spanCostDecimal } from '../rollup/span-sql';
import { satisfactionSql } from '../satisfaction/satisfaction-sql';
import { twoProportionZTest } from '../stats/proportions';
import { welchTTest, type SampleSummary } from '../stats/welch';
import { wilsonInterval } from '../stats/wilson';

export interface VersionSummary {
  version: string;
  calls: number;
  cost_usd: number;
  cost_per_call: SampleSummary;
  latency_ms: SampleSummary;
  votes: number;
  positive: number;
  satisfaction: { rate: number | null; low: number; high: number };
}

export interface Comparison {
  /** Welch's t-test of the version's mean against the control's; null with fewer than 2 calls on a side. */
  t: number;
  df: number;
  p: number;
  difference: number;
  /** Hedges' g (Cohen's d with a small-sample correction). */
  effect_size: number;
}

export interface VersionComparison {
  version: string;
  control: string;
  cost_per_call: Comparison | null;
  latency_ms: Comparison | null;
  /** Two-proportion z-test of positive votes; null without votes on both sides. */
  satisfaction: { z: number; p: number; difference: number; cohens_h: number } | null;
}

export interface PromptVersionsReport {
  prompt_id: string;
  from: string;
  to: string;
  versions: VersionSummary[];
  /** Each version against the control: the version with the most calls in the window. */
  comparisons: VersionComparison[];
}

/** An A/B comparison of the versions of one prompt live in [from, to). */
export async function comparePromptVersions(client: ClickHouseClient, database: string, promptId: string, from: Date, to: Date): Promise<PromptVersionsReport> {
  const params = { prompt: promptId, start: dateTime64Param(from.getTime()), end: dateTime64Param(to.getTime()) };
  const figures = await client.query({
    query: `SELECT prompt_version AS version, count() AS calls, toString(sum(${spanCostDecimal})) AS cost,
                   countIf(cost_usd IS NOT NULL) AS priced, avgIf(cost_usd, cost_usd IS NOT NULL) AS cost_mean, varSampIf(cost_usd, cost_usd IS NOT NULL) AS cost_var,
                   avg(duration_ms) AS latency_mean, varSamp(duration_ms) AS latency_var
            FROM ${dedupedSpansSql(database, ['prompt_version', 'cost_usd', 'duration_ms'], "prompt_id = {prompt:String} AND start_time >= {start:DateTime64(3, 'UTC')} AND start_time < {end:DateTime64(3, 'UTC')}")}
            GROUP BY version ORDER BY calls DESC, version`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await figures.json<Record<string, string | number | null>>();
  const votes = await client.query({ query: satisfactionSql(database), query_params: params, format: 'JSONEachRow' });
  const votesByKey = new Map((await votes.json<{ dimension: string; key: string; votes: string; positive: string }>()).filter((v) => v.dimension === 'prompt').map((v) => [v.key, v]));

  const versions: VersionSummary[] = rows.map((row) => {
    const version = String(row.version);
    const vote = votesByKey.get(version === '' ? promptId : `${promptId}@${version}`);
    const voteCount = Number(vote?.votes ?? 0);
    const positive = Number(vote?.positive ?? 0);
    return {
      version,
      calls: Number(row.calls),
      cost_usd: Number(row.cost),
      cost_per_call: { mean: Number(row.cost_mean ?? 0), variance: Number(row.cost_var ?? 0), n: Number(row.priced) },
      latency_ms: { mean: Number(row.latency_mean), variance: Number(row.latency_var ?? 0), n: Number(row.calls) },
      votes: voteCount,
      positive,
      satisfaction: wilsonInterval(positive, voteCount),
    };
  });
  const control = versions[0];
  const comparisons = control ? versions.slice(1).map((version) => compareWith(version, control)) : [];
  return { prompt_id: promptId, from: from.toISOString(), to: to.toISOString(), versions, comparisons };
}

function compareWith(version: VersionSummary, control: VersionSummary): VersionComparison {
  const welch = (a: SampleSummary, b: SampleSummary): Comparison | null => {
    if (a.n < 2 || b.n < 2) return null;
    const result = welchTTest(a, b);
    return { t: result.t, df: result.df, p: result.p, difference: result.meanDifference, effect_size: result.hedgesG };
  };
  const proportions = version.votes > 0 && control.votes > 0 ? twoProportionZTest(version.positive, version.votes, control.positive, control.votes) : null;
  return {
    version: version.version,
    control: control.version,
    cost_per_call: welch(version.cost_per_call, control.cost_per_call),
    latency_ms: welch(version.latency_ms, control.latency_ms),
    satisfaction: proportions ? { z: proportions.z, p: proportions.p, difference: proportions.difference, cohens_h: proportions.cohensH } : null,
  };
}
