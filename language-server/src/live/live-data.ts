/**
 * The server's copy of what the API knows: a snapshot that editor requests
 * read at once, refreshed in the background. When the API is unreachable the
 * last snapshot stays (annotations keep their place and figures) and the
 * state says so; the first answer afterwards brings everything back.
 */
import { alertViewSchema } from '@spanlens/core/api/alerts';
import { noPricesInForce, priceListSchema, pricesInForce } from '@spanlens/core/api/prices';
import { annotationsReportSchema } from '@spanlens/core/editor-protocol';
import { z } from 'zod';
import { ApiReader, type ReadOutcome } from './api-reader';
import { emptySnapshot, type LiveAlert, type LiveDriftTest, type LiveSnapshot } from './live-snapshot';

export type LiveState = { kind: 'loading' } | { kind: 'ok' } | { kind: 'unreachable'; reason: string } | { kind: 'unauthorized'; status: number; keySent: boolean };

// Only what the editor reads, so a server that adds fields stays readable.
const alertsSchema = z.object({ active: z.array(alertViewSchema.pick({ rule: true, state: true, severity: true, labels: true, summary: true }).loose()) });
const driftSchema = z.object({
  tests: z.array(z.object({ subject_kind: z.string(), subject: z.string(), metric: z.string(), d: z.number(), p_adjusted: z.number(), drifted: z.boolean() }).loose()),
});

export interface RefreshResult {
  /** The snapshot's figures changed: annotations must be redrawn. */
  dataChanged: boolean;
  /** The state changed (e.g. the API went away or came back). */
  stateChanged: boolean;
}

export class LiveData {
  private current: LiveSnapshot = emptySnapshot;
  private currentState: LiveState = { kind: 'loading' };
  private inFlight: Promise<RefreshResult> | undefined;

  constructor(private reader: ApiReader) {}

  get snapshot(): LiveSnapshot {
    return this.current;
  }

  get state(): LiveState {
    return this.currentState;
  }

  /** Points at another API (URL or key changed); the snapshot stays until the new API answers. */
  useReader(reader: ApiReader): void {
    this.reader = reader;
  }

  /** One poll of every endpoint; concurrent callers share the poll in flight. */
  refresh(now: () => Date = () => new Date()): Promise<RefreshResult> {
    this.inFlight ??= this.poll(now).finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async poll(now: () => Date): Promise<RefreshResult> {
    const [callsites, prompts, alerts, drift, prices] = await Promise.all([
      this.reader.read('/api/v1/annotations/callsites', (json) => annotationsReportSchema.parse(json).rows),
      this.reader.read('/api/v1/annotations/prompts', (json) => annotationsReportSchema.parse(json).rows),
      this.reader.read('/api/v1/alerts', (json): LiveAlert[] => alertsSchema.parse(json).active.filter((alert) => alert.state === 'firing')),
      this.reader.read('/api/v1/drift', (json): LiveDriftTest[] => driftSchema.parse(json).tests),
      this.reader.read('/api/v1/prices', (json) => pricesInForce(priceListSchema.parse(json))),
    ]);
    const outcomes: ReadOutcome<unknown>[] = [callsites, prompts, alerts, drift, prices];
    const previousState = this.currentState;
    const failure = outcomes.find((outcome) => outcome.kind === 'unauthorized') ?? outcomes.find((outcome) => outcome.kind === 'unreachable');
    if (failure?.kind === 'unauthorized') this.currentState = { kind: 'unauthorized', status: failure.status, keySent: failure.keySent };
    else if (failure?.kind === 'unreachable') this.currentState = { kind: 'unreachable', reason: failure.reason };
    else this.currentState = { kind: 'ok' };
    const stateChanged = situationOf(previousState) !== situationOf(this.currentState);
    if (failure) return { dataChanged: false, stateChanged };

    const next: LiveSnapshot = {
      callsites: fresh(callsites, this.current.callsites),
      prompts: fresh(prompts, this.current.prompts),
      alerts: fresh(alerts, this.current.alerts),
      drift: fresh(drift, this.current.drift),
      // A server without the prices route prices with its catalogue only, as estimates then do.
      prices: prices.kind === 'fresh' ? prices.body : prices.kind === 'absent' ? noPricesInForce : this.current.prices,
      fetchedAt: now(),
    };
    const dataChanged = outcomes.some((outcome) => outcome.kind === 'fresh' || outcome.kind === 'absent') && !sameFigures(next, this.current);
    // The fetch time moves on every answer; figures are replaced only when they changed.
    this.current = dataChanged || this.current.fetchedAt === null ? next : { ...this.current, fetchedAt: next.fetchedAt };
    return { dataChanged: dataChanged || previousState.kind === 'loading', stateChanged };
  }
}

/**
 * What the user is told about a state: its kind, and for a refused key why
 * (none sent, refused, or without the read scope). An unreachable API's
 * reason may read differently from poll to poll, which is no news.
 */
export function situationOf(state: LiveState): string {
  return state.kind === 'unauthorized' ? `unauthorized:${state.status}:${state.keySent ? 'key' : 'no-key'}` : state.kind;
}

function fresh<T>(outcome: ReadOutcome<readonly T[]>, previous: readonly T[]): readonly T[] {
  if (outcome.kind === 'fresh') return outcome.body;
  if (outcome.kind === 'absent') return [];
  return previous;
}

function sameFigures(a: LiveSnapshot, b: LiveSnapshot): boolean {
  return JSON.stringify([a.callsites, a.prompts, a.alerts, a.drift, a.prices]) === JSON.stringify([b.callsites, b.prompts, b.alerts, b.drift, b.prices]);
}
