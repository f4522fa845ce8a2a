import { tableName, type DriftConfig } from '@spanlens/core';
import { floorToMinutes, type Job, type JobWindow } from '../jobs/job';
import { benjaminiHochberg } from '../stats/benjamini-hochberg';
import { ksTest } from '../stats/ks-test';
import { textDriftTest } from '../stats/text-drift';
import { createHashedNgramEmbedder, type TextEmbedder } from '../stats/text-embedding';
import { driftMetrics, driftSubjectKinds, readPromptTexts, readSubjectSamples, type DriftMetric, type DriftSubjectKind } from './drift-samples';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export interface DriftTest {
  subject_kind: DriftSubjectKind;
  subject: string;
  /** A per-call measure, or `prompt_text`: the captured prompts themselves, embedded. */
  metric: DriftMetric | 'prompt_text';
  n_current: number;
  n_reference: number;
  d: number;
  p_value: number;
  p_adjusted: number;
  /** For `prompt_text`: `text-embedding`, where d is the share of embedding dimensions that drifted. */
  method: 'exact' | 'asymp' | 'text-embedding';
  drifted: boolean;
}

/** The reference window: the pinned baseline, or the days just before the current window. */
export function referenceWindow(current: JobWindow, config: DriftConfig): JobWindow {
  if (config.baseline) return { start: new Date(config.baseline.from), end: new Date(config.baseline.to) };
  return { start: new Date(current.start.getTime() - config.reference_window_days * DAY_MS), end: current.start };
}

/**
 * Decides which tests show drift: Benjamini–Hochberg across all the tests of
 * the run (many subjects × metrics would otherwise flag some by chance), and
 * an effect of at least `min_effect_d`, so that a tiny but significant shift
 * on a busy prompt is not called drift.
 */
export function decideDrift(tests: Array<Omit<DriftTest, 'p_adjusted' | 'drifted'> & { metric: DriftMetric }>, config: DriftConfig): DriftTest[] {
  const adjusted = benjaminiHochberg(tests.map((test) => test.p_value));
  return tests.map((test, i) => {
    const pAdjusted = adjusted[i] as number;
    return { ...test, p_adjusted: pAdjusted, drifted: pAdjusted < config.alpha && test.d >= config.min_effect_d };
  });
}

/**
 * Two-sample Kolmogorov–Smirnov tests, per feature and per prompt id with
 * enough traffic on both sides, of input tokens, output tokens, latency and
 * cost per call — and, where content is captured, prompt and response length
 * and the prompt text itself — between the current window (default the last
 * 24 h) and a reference (default the 7 days before it, or a pinned baseline).
 */
export const driftJob: Job = {
  name: 'drift',
  description: 'KS drift of tokens, latency and cost per call, per feature and prompt (last 24 h against the 7 days before)',
  defaultSchedule: '7 * * * *',
  window(end, config) {
    const windowEnd = floorToMinutes(end, 60);
    return { start: new Date(windowEnd.getTime() - config.drift.current_window_hours * HOUR_MS), end: windowEnd };
  },
  async run({ client, database, config, window }) {
    const settings = config.drift;
    const reference = referenceWindow(window, settings);
    const raw: Array<Omit<DriftTest, 'p_adjusted' | 'drifted'> & { metric: DriftMetric }> = [];
    const sampling = { minSamples: settings.min_samples, maxSamples: settings.max_samples };
    for (const kind of driftSubjectKinds) {
      const [current, before] = await Promise.all([
        readSubjectSamples(client, database, { kind, from: window.start, to: window.end, ...sampling }),
        readSubjectSamples(client, database, { kind, from: reference.start, to: reference.end, ...sampling }),
      ]);
      const referenceBySubject = new Map(before.map((sample) => [sample.subject, sample]));
      for (const sample of current) {
        const ref = referenceBySubject.get(sample.subject);
        if (!ref) continue;
        for (const metric of Object.keys(driftMetrics) as DriftMetric[]) {
          const a = ref.values[metric];
          const b = sample.values[metric];
          // Cost leaves out unpriced calls, so a side may fall short of the minimum.
          if (a.length < settings.min_samples || b.length < settings.min_samples) continue;
          const ks = ksTest(b, a);
          raw.push({ subject_kind: kind, subject: sample.subject, metric, n_current: b.length, n_reference: a.length, d: ks.d, p_value: ks.p, method: ks.method });
        }
      }
    }
    const tests = [...decideDrift(raw, settings), ...(await promptTextTests(client, database, window, reference, settings, createHashedNgramEmbedder({ dimensions: settings.text_dimensions })))];
    const seconds = (date: Date) => Math.floor(date.getTime() / 1000);
    const computedAt = (Date.now() / 1000).toFixed(3);
    if (tests.length > 0) {
      await client.insert({
        table: tableName(database, 'drift_tests'),
        values: tests.map((test) => ({
          window_end: seconds(window.end),
          current_start: seconds(window.start),
          current_end: seconds(window.end),
          reference_start: seconds(reference.start),
          reference_end: seconds(reference.end),
          ...test,
          drifted: test.drifted ? 1 : 0,
          computed_at: computedAt,
        })),
        format: 'JSONEachRow',
      });
    }
    const subjects = new Set(tests.map((test) => `${test.subject_kind}:${test.subject}`)).size;
    const drifted = tests.filter((test) => test.drifted);
    return {
      rows: tests.length,
      detail: `${tests.length} tests on ${subjects} subjects; ${drifted.length} drifted${drifted.length > 0 ? `: ${drifted.slice(0, 3).map((t) => `${t.subject_kind} ${t.subject} ${t.metric}`).join(', ')}` : ''}`,
    };
  },
};

/**
 * The prompt text test per subject: every captured prompt embedded (the
 * default embedder hashes word and character n-grams, no download; any
 * TextEmbedder can replace it), a KS test per dimension, Benjamini–Hochberg
 * across the dimensions, and drift when more than `text_drift_share` of them
 * differ. Its correction is within the test, so it does not join the
 * run-wide correction of the per-call measures.
 */
export async function promptTextTests(
  client: Parameters<Job['run']>[0]['client'],
  database: string,
  current: JobWindow,
  reference: JobWindow,
  settings: DriftConfig,
  embedder: TextEmbedder,
): Promise<DriftTest[]> {
  const tests: DriftTest[] = [];
  for (const kind of driftSubjectKinds) {
    const [now, before] = await Promise.all([
      readPromptTexts(client, database, { kind, from: current.start, to: current.end, maxSamples: settings.max_samples }),
      readPromptTexts(client, database, { kind, from: reference.start, to: reference.end, maxSamples: settings.max_samples }),
    ]);
    for (const [subject, texts] of now) {
      const referenceTexts = before.get(subject);
      if (!referenceTexts || texts.length < settings.min_samples || referenceTexts.length < settings.min_samples) continue;
      const result = textDriftTest(texts, referenceTexts, embedder, { alpha: settings.alpha, share: settings.text_drift_share });
      tests.push({ subject_kind: kind, subject, metric: 'prompt_text', n_current: texts.length, n_reference: referenceTexts.length, d: result.share, p_value: result.minAdjustedP, p_adjusted: result.minAdjustedP, method: 'text-embedding', drifted: result.drifted });
    }
  }
  return tests;
}
