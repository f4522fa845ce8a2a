/** Figures of one group (a feature, a model, a prompt version) in one period. */
export interface PeriodFigures {
  calls: number;
  cost_usd: number;
  errors: number;
}

export interface VersionFigures extends PeriodFigures {
  prompt_id: string;
  version: string;
  votes: number;
  positive: number;
}

export interface DigestInput {
  day: string;
  /** The day summarised, and the 7 days before it, per feature and per model. */
  features: Map<string, { day: PeriodFigures; before: PeriodFigures }>;
  models: Map<string, { day: PeriodFigures; before: PeriodFigures }>;
  versions: VersionFigures[];
  spend: { last7: number; previous7: number };
}

export interface Finding {
  kind: 'feature_cost_per_call_rose' | 'prompt_version_costs_more' | 'model_error_rate_rose' | 'spend_vs_previous_week';
  subject: string;
  message: string;
  recommendation: string;
}

export interface Digest {
  day: string;
  spend: { last_7_days_usd: number; previous_7_days_usd: number; change: number | null };
  findings: Finding[];
}

/** Calls a group needs in the day before a change in it is reported. */
const MIN_CALLS = 50;
const COST_RISE = 0.2;
const ERROR_RATE_RISE = 0.02;

const perCall = (f: PeriodFigures) => (f.calls > 0 ? f.cost_usd / f.calls : 0);
const errorRate = (f: PeriodFigures) => (f.calls > 0 ? f.errors / f.calls : 0);
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
// Cents for amounts of a dollar or more, tenths of a cent below, two significant figures under a cent.
const usd = (x: number) => `$${x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toPrecision(2)}`;

/**
 * The day's findings, as rules a reviewer can check by hand: a feature whose
 * cost per call rose 20% or more against the 7 days before; a prompt version
 * that costs more per call than a sibling version without a better
 * satisfaction rate; a model whose error rate rose by 2 points or more; and
 * spend over the last 7 days against the 7 before. Groups with fewer than 50
 * calls in the day are left out: their changes are mostly noise.
 */
export function digestFindings(input: DigestInput): Digest {
  const findings: Finding[] = [];
  for (const [feature, { day, before }] of input.features) {
    if (day.calls < MIN_CALLS || before.calls === 0 || perCall(before) === 0) continue;
    const rise = perCall(day) / perCall(before) - 1;
    if (rise >= COST_RISE) {
      findings.push({
        kind: 'feature_cost_per_call_rose',
        subject: feature,
        message: `${feature || '(no feature)'}: cost per call ${usd(perCall(day))}, up ${percent(rise)} on the 7 days before (${usd(perCall(before))})`,
        recommendation: 'check for longer prompts, a more expensive model or lost prompt caching in this feature',
      });
    }
  }
  const byPrompt = new Map<string, VersionFigures[]>();
  for (const version of input.versions) byPrompt.set(version.prompt_id, [...(byPrompt.get(version.prompt_id) ?? []), version]);
  for (const [promptId, versions] of byPrompt) {
    const live = versions.filter((v) => v.calls >= MIN_CALLS);
    for (const costly of live) {
      for (const cheaper of live) {
        if (costly === cheaper || perCall(costly) <= perCall(cheaper) * (1 + COST_RISE)) continue;
        const rate = (v: VersionFigures) => (v.votes > 0 ? v.positive / v.votes : undefined);
        const costlyRate = rate(costly);
        const cheaperRate = rate(cheaper);
        if (costlyRate !== undefined && cheaperRate !== undefined && costlyRate > cheaperRate) continue;
        findings.push({
          kind: 'prompt_version_costs_more',
          subject: `${promptId}@${costly.version}`,
          message: `${promptId}@${costly.version} costs ${usd(perCall(costly))} per call against ${usd(perCall(cheaper))} for @${cheaper.version}, with ${costlyRate === undefined || cheaperRate === undefined ? 'no satisfaction data to justify it' : `no better satisfaction (${percent(costlyRate)} vs ${percent(cheaperRate)})`}`,
          recommendation: `consider rolling back to ${promptId}@${cheaper.version}, or find what the extra cost buys`,
        });
      }
    }
  }
  for (const [model, { day, before }] of input.models) {
    if (day.calls < MIN_CALLS) continue;
    const rise = errorRate(day) - errorRate(before);
    if (rise >= ERROR_RATE_RISE) {
      findings.push({
        kind: 'model_error_rate_rose',
        subject: model,
        message: `${model}: error rate ${percent(errorRate(day))}, up from ${percent(errorRate(before))} over the 7 days before`,
        recommendation: 'check the provider status, rate limits and timeouts for this model',
      });
    }
  }
  const { last7, previous7 } = input.spend;
  const change = previous7 > 0 ? last7 / previous7 - 1 : null;
  findings.push({
    kind: 'spend_vs_previous_week',
    subject: 'all',
    message: `spend over the last 7 days ${usd(last7)}${change === null ? '' : `, ${change >= 0 ? 'up' : 'down'} ${percent(Math.abs(change))} on the 7 days before (${usd(previous7)})`}`,
    recommendation: change !== null && change > COST_RISE ? 'review the features above; spend rose faster than 20% a week' : 'no action needed',
  });
  return { day: input.day, spend: { last_7_days_usd: last7, previous_7_days_usd: previous7, change }, findings };
}
