import type { ClickHouseClient } from '@clickhouse/client';
import type { DriftConfig } from '@spanlens/core';
import type { DriftTest } from '../drift/drift-job';
import { driftMetrics, readSubjectSamples, type DriftMetric, type DriftSubjectKind } from '../drift/drift-samples';
import { readDrift } from '../drift/read-drift';
import { ecdfPoints, largestGap, type EcdfPoints } from './ecdf';

export interface DriftDistributions {
  test: DriftTest;
  current: { start: string; end: string; n: number; ecdf: EcdfPoints };
  reference: { start: string; end: string; n: number; ecdf: EcdfPoints };
  /** D of the samples read now, and where the gap is largest: equal to the stored D while the windows' spans are unchanged. */
  gap: { d: number; at: number | null };
}

export type DriftDistributionsResult = { ok: true; value: DriftDistributions } | { ok: false; status: 400 | 404; message: string };

/**
 * The two distributions behind one test of the drift job's latest run, as
 * ECDFs. The job stores only each test's statistics, so the samples are read
 * again from llm_spans with the job's own sampling (the same span-id hash and
 * sizes), over the run's stored windows: the same values the job tested.
 */
export async function readDriftDistributions(
  client: ClickHouseClient,
  database: string,
  config: DriftConfig,
  wanted: { subjectKind: string; subject: string; metric: string },
): Promise<DriftDistributionsResult> {
  if (wanted.subjectKind !== 'feature' && wanted.subjectKind !== 'prompt') return { ok: false, status: 400, message: `subject_kind: expected feature or prompt; got "${wanted.subjectKind}"` };
  if (!Object.hasOwn(driftMetrics, wanted.metric)) return { ok: false, status: 400, message: `metric: expected one of ${Object.keys(driftMetrics).join(', ')}; got "${wanted.metric}"` };
  const kind = wanted.subjectKind as DriftSubjectKind;
  const metric = wanted.metric as DriftMetric;
  const report = await readDrift(client, database);
  const test = report.tests.find((t) => t.subject_kind === kind && t.subject === wanted.subject && t.metric === metric);
  if (!test || !report.current || !report.reference) return { ok: false, status: 404, message: `no test of ${kind} "${wanted.subject}" ${metric} in the drift job's latest run` };
  const sampling = { kind, minSamples: 1, maxSamples: config.max_samples };
  const [current, reference] = await Promise.all([
    readSubjectSamples(client, database, { ...sampling, from: new Date(report.current.start), to: new Date(report.current.end) }),
    readSubjectSamples(client, database, { ...sampling, from: new Date(report.reference.start), to: new Date(report.reference.end) }),
  ]);
  const currentValues = current.find((sample) => sample.subject === wanted.subject)?.values[metric] ?? [];
  const referenceValues = reference.find((sample) => sample.subject === wanted.subject)?.values[metric] ?? [];
  return {
    ok: true,
    value: {
      test,
      current: { ...report.current, n: currentValues.length, ecdf: ecdfPoints(currentValues) },
      reference: { ...report.reference, n: referenceValues.length, ecdf: ecdfPoints(referenceValues) },
      gap: largestGap(currentValues, referenceValues),
    },
  };
}
