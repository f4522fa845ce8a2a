import { noPricesInForce, type PricesInForce } from '@spanlens/core/api/prices';
import type { AnnotationRow } from '@spanlens/core/editor-protocol';

/** A firing or pending alert, as much of `GET /api/v1/alerts` as the editor needs. */
export interface LiveAlert {
  rule: string;
  state: string;
  severity: string;
  labels: Record<string, string>;
  summary: string;
}

/** One test of the drift job's latest run (`GET /api/v1/drift`). */
export interface LiveDriftTest {
  subject_kind: string;
  subject: string;
  metric: string;
  d: number;
  p_adjusted: number;
  drifted: boolean;
}

/**
 * Everything the server last read from the HTTP API. Handlers answer from
 * this at once; the poller replaces it in the background.
 */
export interface LiveSnapshot {
  callsites: readonly AnnotationRow[];
  prompts: readonly AnnotationRow[];
  alerts: readonly LiveAlert[];
  drift: readonly LiveDriftTest[];
  /**
   * The price overrides the server prices spans with (`GET /api/v1/prices`),
   * for estimates; none until it answers, so estimates use the catalogue.
   */
  prices: PricesInForce;
  /** When the API last answered; null before its first answer. */
  fetchedAt: Date | null;
}

export const emptySnapshot: LiveSnapshot = { callsites: [], prompts: [], alerts: [], drift: [], prices: noPricesInForce, fetchedAt: null };

/** The prompt id of a prompt key (`id@version` → `id`). */
export function promptIdOf(key: string): string {
  const at = key.lastIndexOf('@');
  return at > 0 ? key.slice(0, at) : key;
}

/**
 * The drift job's tests of these prompts. The job tests a prompt id across
 * all its versions (subject `support-reply`, not `support-reply@3`), so an
 * item's prompt key matches the test of its id.
 */
export function promptDriftTests(drift: readonly LiveDriftTest[], prompts: readonly string[]): LiveDriftTest[] {
  const ids = new Set(prompts.map(promptIdOf));
  return drift.filter((test) => test.subject_kind === 'prompt' && (ids.has(test.subject) || prompts.includes(test.subject)));
}

/**
 * The rows of a prompt: exactly `id@version` when the source names a version,
 * else every version of the id (the source then uses whichever is current).
 */
export function promptRows(rows: readonly AnnotationRow[], id: string, version: string | undefined): AnnotationRow[] {
  if (version !== undefined && version !== '') return rows.filter((row) => row.key === `${id}@${version}`);
  return rows.filter((row) => row.key === id || promptIdOf(row.key) === id);
}

/**
 * Several rows shown as one annotation: call sites whose spans anchor on the
 * same line (spans from two deployed versions of a file, say) or a prompt's
 * versions. Counts, costs and tokens add up; p95 is the highest of the rows'
 * p95s, an upper bound, since quantiles do not add.
 */
export function mergeRows(rows: readonly AnnotationRow[]): AnnotationRow | undefined {
  if (rows.length <= 1) return rows[0];
  const calls = sum(rows, (row) => row.calls);
  const cost = sum(rows, (row) => row.cost_usd);
  const unpriced = sum(rows, (row) => row.unpriced_calls);
  const models = new Map<string, { calls: number; cost_usd: number }>();
  for (const row of rows) {
    for (const model of row.models) {
      const entry = models.get(model.model) ?? { calls: 0, cost_usd: 0 };
      entry.calls += model.calls;
      entry.cost_usd += model.cost_usd;
      models.set(model.model, entry);
    }
  }
  const votes = sum(rows, (row) => row.satisfaction.votes);
  const positive = sum(rows, (row) => row.satisfaction.positive);
  const first = rows[0]!;
  return {
    ...first,
    calls,
    cost_usd: cost,
    unpriced_calls: unpriced,
    cost_per_call_usd: calls - unpriced > 0 ? cost / (calls - unpriced) : null,
    p95_ms: Math.max(...rows.map((row) => row.p95_ms)),
    error_rate: calls > 0 ? sum(rows, (row) => row.error_rate * row.calls) / calls : 0,
    tokens: { input: sum(rows, (row) => row.tokens.input), output: sum(rows, (row) => row.tokens.output), cached: sum(rows, (row) => row.tokens.cached) },
    models: [...models].map(([model, entry]) => ({ model, ...entry })).sort((a, b) => b.calls - a.calls),
    previous_week: { calls: sum(rows, (row) => row.previous_week.calls), cost_usd: sum(rows, (row) => row.previous_week.cost_usd) },
    satisfaction: { votes, positive, rate: votes > 0 ? positive / votes : null },
    prompts: [...new Set(rows.flatMap((row) => row.prompts))].sort(),
  };
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
