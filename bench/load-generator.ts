/**
 * The load generator of `pnpm bench:ingest`, run by bench/ingest.ts as its own
 * process (config as JSON in argv[2], results over Node IPC). It sends
 * pre-built OTLP protobuf requests with fresh ids at a fixed concurrency,
 * plus a marker request every couple of seconds whose visibility in the
 * costs API it polls for.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoopbackClient } from './src/http-client';
import { rejectedSpansOf } from './src/otlp-proto';
import type { AckLog, GeneratorConfig, GeneratorMessage, GeneratorResult, MarkerOutcome } from './src/protocol';
import { tellParent } from './src/protocol';
import { buildPool, instantiate, markerRequest, nowNs, type PooledBody } from './src/request-pool';

const REQUEST_TIMEOUT_MS = 30_000;
/** After the window closes, requests in flight (and their retries) get this long to finish. */
const DRAIN_MS = 30_000;
/** A marker not visible after this long is reported as never visible. */
const MARKER_GIVE_UP_MS = 30_000;
/**
 * Pause between the markers' costs polls. Each poll folds the spans of its
 * range with FINAL on the server; every 50 ms, a 60 s bench:kafka run made
 * over 200 of them (100-200 ms each), about a fifth of the store owner's CPU
 * spent on the probe. 200 ms still resolves a visibility target of 2 s.
 */
const POLL_GAP_MS = 200;
/** The markers' costs query starts this long before the earliest outstanding marker span began. */
const MARKER_RANGE_SLACK_MS = 2_000;
const PROTOBUF = 'application/x-protobuf';

const tell = (message: GeneratorMessage): Promise<void> => tellParent(message, 'load-generator.ts');

const epochMs = () => performance.timeOrigin + performance.now();
const emptyLog = (): AckLog => ({ at: [], latencyMs: [], spans: [], llmSpans: [], rejected: [] });

async function run(config: GeneratorConfig): Promise<GeneratorResult> {
  const runPrefix = Buffer.from(config.runId.padEnd(16, '0').slice(0, 16), 'hex');
  const buildStarted = performance.now();
  const pool = buildPool({ seed: config.seed, bodies: config.poolBodies, minSpans: config.minSpans, maxSpans: config.maxSpans, runPrefix, nowNs: nowNs() });
  await tell({
    type: 'pool',
    bodies: pool.length,
    spans: pool.reduce((sum, b) => sum + b.spans, 0),
    llmSpans: pool.reduce((sum, b) => sum + b.llmSpans, 0),
    bytes: pool.reduce((sum, b) => sum + b.template.length, 0),
    buildMs: performance.now() - buildStarted,
  });

  const ingest = new LoopbackClient(config.url, { maxSockets: config.concurrency + 1 });
  const api = new LoopbackClient(config.apiUrl ?? config.url, { maxSockets: 2 });
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });

  const started = epochMs();
  const measureStart = started + config.warmupSeconds * 1000;
  const measureEnd = measureStart + config.seconds * 1000;
  const drainDeadline = measureEnd + DRAIN_MS;
  const result: GeneratorResult = {
    measureStart,
    measureEnd,
    acks: emptyLog(),
    markerAcks: emptyLog(),
    overloaded: { total: 0, inWindow: 0 },
    transportErrors: { total: 0, samples: [] },
    failures: {},
    abandoned: 0,
    markers: [],
    pollMs: [],
    pollFailures: 0,
    generatorCpu: { userMs: 0, systemMs: 0 },
    eventLoopDelayP99Ms: 0,
  };

  let cpuAtStart = process.cpuUsage();
  let closeWindow: () => void = () => undefined;
  const windowClosed = new Promise<void>((resolve) => (closeWindow = resolve));
  const phaseTimers = [
    setTimeout(() => {
      cpuAtStart = process.cpuUsage();
      loopDelay.enable();
      void tell({ type: 'phase', phase: 'measure-start', at: epochMs() });
    }, measureStart - epochMs()),
    setTimeout(() => {
      const used = process.cpuUsage(cpuAtStart);
      result.generatorCpu = { userMs: used.user / 1000, systemMs: used.system / 1000 };
      loopDelay.disable();
      result.eventLoopDelayP99Ms = loopDelay.percentile(99) / 1e6;
      void tell({ type: 'phase', phase: 'measure-end', at: epochMs() });
      closeWindow();
    }, measureEnd - epochMs()),
  ];

  /** Sends until a 200 (resending the same bytes, so the same ids, after a 503) or the drain deadline. */
  async function deliver(bytes: Buffer, spans: number, llmSpans: number, log: AckLog): Promise<{ ackMs: number } | undefined> {
    for (;;) {
      if (epochMs() > drainDeadline) {
        result.abandoned += 1;
        return undefined;
      }
      const sent = performance.now();
      let answer;
      try {
        answer = await ingest.post('/v1/traces', bytes, PROTOBUF, REQUEST_TIMEOUT_MS);
      } catch (error) {
        result.transportErrors.total += 1;
        if (result.transportErrors.samples.length < 5) result.transportErrors.samples.push(error instanceof Error ? error.message : String(error));
        await sleep(config.retryPauseMs);
        continue;
      }
      const ackMs = performance.now() - sent;
      if (answer.status === 200) {
        log.at.push(epochMs());
        log.latencyMs.push(ackMs);
        log.spans.push(spans);
        log.llmSpans.push(llmSpans);
        log.rejected.push(rejectedSpansOf(answer.body));
        return { ackMs };
      }
      if (answer.status === 503 || answer.status === 429) {
        result.overloaded.total += 1;
        const at = epochMs();
        if (at >= measureStart && at <= measureEnd) result.overloaded.inWindow += 1;
        await sleep(config.retryPauseMs);
        continue;
      }
      const failure = (result.failures[String(answer.status)] ??= { count: 0, sample: answer.body.toString('utf8', 0, 300) });
      failure.count += 1;
      return undefined;
    }
  }

  let sequence = 0;
  let next = 0;
  async function worker(): Promise<void> {
    while (epochMs() < measureEnd) {
      const body: PooledBody = pool[next++ % pool.length]!;
      sequence += 1;
      await deliver(instantiate(body, sequence, nowNs()), body.spans, body.llmSpans, result.acks);
    }
  }

  // Markers: one every interval inside the measured window, polled by one shared poller.
  const outstanding = new Map<string, MarkerOutcome>();
  const markerStarts = new Map<string, number>();
  let poller: Promise<void> | undefined;
  async function poll(): Promise<void> {
    while (outstanding.size > 0) {
      // From just before the earliest outstanding marker's span started: the
      // query folds every span of its range, so a wider range (the whole last
      // minute, as this once asked) makes each poll cost the server several
      // times as much CPU while answering the same question.
      const earliest = Math.min(...[...outstanding.keys()].map((feature) => markerStarts.get(feature)!));
      const from = new Date(earliest - MARKER_RANGE_SLACK_MS).toISOString();
      const to = new Date(epochMs() + 60_000).toISOString();
      const asked = performance.now();
      try {
        const answer = await api.get(`/api/v1/costs?group_by=feature&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, REQUEST_TIMEOUT_MS);
        const answeredAt = epochMs();
        result.pollMs.push(performance.now() - asked);
        if (answer.status !== 200) {
          result.pollFailures += 1;
        } else {
          const report = JSON.parse(answer.body.toString('utf8')) as { rows: { key: string; calls: number }[] };
          const seen = new Set(report.rows.filter((row) => row.calls > 0).map((row) => row.key));
          for (const [feature, marker] of outstanding) {
            if (seen.has(feature)) {
              marker.visibleMs = answeredAt - marker.sentAt;
              outstanding.delete(feature);
            }
          }
        }
      } catch {
        result.pollFailures += 1;
      }
      for (const [feature, marker] of outstanding) {
        if (epochMs() - marker.sentAt > MARKER_GIVE_UP_MS) outstanding.delete(feature);
      }
      await sleep(POLL_GAP_MS);
    }
    poller = undefined;
  }

  const markerSends: Promise<void>[] = [];
  async function sendMarker(index: number): Promise<void> {
    const feature = `bench-marker-${config.runId}-${index}`;
    const { bytes, startMs } = markerRequest(feature, runPrefix, nowNs());
    const marker: MarkerOutcome = { feature, sentAt: epochMs(), ackMs: null, visibleMs: null };
    markerStarts.set(feature, startMs);
    result.markers.push(marker);
    outstanding.set(feature, marker);
    poller ??= poll();
    const acked = await deliver(bytes, 1, 1, result.markerAcks);
    if (acked) marker.ackMs = acked.ackMs;
  }
  let markerIndex = 0;
  const markerTimer = setInterval(() => {
    if (config.markerIntervalMs === 0) return;
    const at = epochMs();
    if (at < measureStart) return;
    if (at >= measureEnd) {
      clearInterval(markerTimer);
      return;
    }
    markerSends.push(sendMarker(markerIndex++));
  }, config.markerIntervalMs || 1000);

  await Promise.all(Array.from({ length: config.concurrency }, () => worker()));
  await windowClosed;
  clearInterval(markerTimer);
  await Promise.all(markerSends);
  while (poller) await poller;
  phaseTimers.forEach(clearTimeout);
  ingest.close();
  api.close();
  return result;
}

const config = JSON.parse(process.argv[2] ?? '{}') as GeneratorConfig;
run(config).then(
  async (result) => {
    await tell({ type: 'result', result });
    process.exit(0);
  },
  async (error: unknown) => {
    await tell({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }).catch(() => undefined);
    process.exit(1);
  },
);
