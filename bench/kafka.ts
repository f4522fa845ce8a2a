/**
 * `pnpm bench:kafka`: the distributed path's counterpart of `pnpm bench:ingest`.
 * The same seeded load goes to a collector (`SPANLENS_ROLES=collector`) that
 * publishes to a private Kafka broker; the store owner (`ingest,jobs,api`)
 * consumes, stores into its embedded chDB and answers the costs API, which
 * the markers poll for receipt-to-queryable. Every 5 s it records the owner's
 * consumer lag and the spans the collector still awaits Kafka's ack for;
 * after the load it waits (bounded) until the owner stored everything that
 * was acknowledged. Then everything stops and the same load runs against a
 * plain embedded `spanlens start` as the baseline.
 *
 * Prints figures, the lag series and one BENCH_KAFKA_JSON line; it fails
 * (exit 1) only when stored totals differ from what was acknowledged.
 * Processes: broker (scripts/kafka.sh), collector, owner, load generator,
 * then the embedded server and its load generator. All are stopped or
 * killed, and the broker stopped through the script, however this ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { configSchema } from '@spanlens/core';
import { parseArgs, positive, usage, type BenchOptions } from './src/args';
import { loadFigures, loadNotes, verdict, type StoredCheck } from './src/figures';
import { backgroundCores, checkStoredTotals, exitIfDuringLoad, hardStop, installCleanup, log, onExit, repoRoot, reportMismatch, runEmbedded, runLoad, stopServer, tempDir, track, type EmbeddedRun } from './src/harness';
import { createBroker } from './src/kafka-broker';
import type { GeneratorResult } from './src/protocol';
import { ingestDelta, scrapeMetrics } from './src/server-metrics';
import { startServer, type ServerProcess } from './src/server-process';
import { fmt, round } from './src/stats';
import { WindowProbe } from './src/window-probe';

installCleanup();

const TARGETS = { spansPerSecond: 25_000, receiptToQueryableP99Ms: 5_000 };
const LAG_EVERY_MS = 5_000;
const DRAIN_POLL_MS = 250;

const OWNER_SERIES = { lag: 'spanlens_kafka_consumer_lag', consumed: 'spanlens_kafka_consumed_spans_total' } as const;
const COLLECTOR_SERIES = {
  pending: 'spanlens_ingest_pending_spans',
  published: 'spanlens_kafka_published_spans_total',
  publishSeconds: 'spanlens_kafka_publish_seconds_sum',
  publishes: 'spanlens_kafka_publish_seconds_count',
} as const;

interface KafkaOptions {
  partitions: number;
  drainTimeoutSeconds: number | undefined;
  /** The collector's kafka.publish_batch_max_spans (through a SPANLENS_CONFIG file); its default when undefined. */
  publishBatchMaxSpans: number | undefined;
}

function parseKafkaArgs(argv: readonly string[]): { options: BenchOptions; kafka: KafkaOptions } {
  const kafka: KafkaOptions = { partitions: 2, drainTimeoutSeconds: undefined, publishBatchMaxSpans: undefined };
  const options = parseArgs(argv, {
    usage: `${usage.replace('pnpm bench:ingest', 'pnpm bench:kafka')}
                           (the profiles are of the collector and the owner; the embedded baseline runs unprofiled)
  --partitions N           partitions of the spans topic (default 2)
  --drain-timeout N        after the load, wait at most N s for the owner to store everything (default max(60, seconds))
  --publish-batch-max-spans N  the collector's kafka.publish_batch_max_spans (default: Spanlens's own)`,
    handlers: {
      '--partitions': (value, name) => (kafka.partitions = positive(name, value)),
      '--drain-timeout': (value, name) => (kafka.drainTimeoutSeconds = positive(name, value)),
      '--publish-batch-max-spans': (value, name) => (kafka.publishBatchMaxSpans = positive(name, value)),
    },
  });
  return { options, kafka };
}

/** One look at both processes' /metrics. */
interface Sample {
  at: number;
  /** Owner: messages (one per LLM span) in the topic not yet stored, summed over partitions. */
  lag: number;
  consumed: number;
  /** Collector: spans awaiting Kafka's acknowledgement. */
  pending: number;
  published: number;
  publishSeconds: number;
  publishes: number;
}

async function sample(ownerUrl: string, collectorUrl: string): Promise<Sample | undefined> {
  const [owner, collector] = await Promise.all([scrapeMetrics(ownerUrl, Object.values(OWNER_SERIES)), scrapeMetrics(collectorUrl, Object.values(COLLECTOR_SERIES))]);
  if (!owner || !collector) return undefined;
  return {
    at: Date.now(),
    // No lag series yet (no batch consumed) means nothing is known to lag.
    lag: Number.isNaN(owner[OWNER_SERIES.lag]!) ? 0 : owner[OWNER_SERIES.lag]!,
    consumed: owner[OWNER_SERIES.consumed]!,
    pending: collector[COLLECTOR_SERIES.pending]!,
    published: collector[COLLECTOR_SERIES.published]!,
    publishSeconds: collector[COLLECTOR_SERIES.publishSeconds]!,
    publishes: collector[COLLECTOR_SERIES.publishes]!,
  };
}

/** Samples both processes every `everyMs` until stopped (one look in flight at a time). */
class Sampler {
  readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;
  private inFlight: Promise<void> | undefined;

  constructor(
    private readonly ownerUrl: string,
    private readonly collectorUrl: string,
    everyMs: number,
  ) {
    this.tick();
    this.timer = setInterval(() => this.tick(), everyMs);
  }

  latest(): Sample | undefined {
    return this.samples.at(-1);
  }

  /** Stops after one last look, so the series ends with the state at the stop. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.inFlight;
    this.tick();
    await this.inFlight;
  }

  private tick(): void {
    this.inFlight ??= sample(this.ownerUrl, this.collectorUrl).then((s) => {
      if (s) this.samples.push(s);
      this.inFlight = undefined;
    });
  }
}

/** Everything the owner consumed is what Kafka acknowledged to the collector, and nothing awaits an ack. */
const drained = (s: Sample) => s.pending === 0 && s.consumed >= s.published;

interface ProcessSide {
  peakRssBytes: number;
  cpuSeconds: number | undefined;
  shutdownSeconds: number;
  shutdownClean: boolean;
  warnings: { count: number; samples: string[] };
}

interface DistributedRun {
  gen: GeneratorResult;
  check: StoredCheck;
  lagSeries: Sample[];
  /** At the window's start and end. */
  window: [Sample | undefined, Sample | undefined];
  /** Last ack → the owner had stored all Kafka acknowledged; undefined if it never did in time. */
  drainSeconds: number | undefined;
  /** Last ack → the API counted every acknowledged LLM span. */
  apiConfirmedSeconds: number | undefined;
  /** Window's end → last ack (requests in flight at the end, markers). */
  lastAckSeconds: number;
  collector: ProcessSide;
  owner: ProcessSide & { ingest: ReturnType<typeof ingestDelta> };
  broker: { peakRssBytes: number; cpuSeconds: number | undefined; pid: number | undefined };
  machineCores: number | undefined;
  readyLine: string;
}

async function runDistributed(options: BenchOptions, kafka: KafkaOptions, runId: string, runStarted: number): Promise<DistributedRun> {
  const stateDir = tempDir('spanlens-bench-kafka-');
  const broker = await createBroker({ repoRoot, stateDir, timeoutMs: 280_000, onChild: (child) => track(child) });
  // A Ctrl-C, a hard stop or a crash must not leave the detached broker running.
  onExit(() => broker.stopSync());
  let collector: ServerProcess | undefined;
  let owner: ServerProcess | undefined;
  // Deaths during the load end the bench; these take that back before the processes are stopped on purpose.
  const undoDeathWatch: (() => void)[] = [];
  try {
    const brokerPhase = hardStop(300, 'starting the Kafka broker');
    log(`starting a private Kafka broker on ${broker.bootstrap} (state in ${stateDir})`);
    const readyLine = await broker.start();
    clearTimeout(brokerPhase);
    log(readyLine);

    const startPhase = hardStop(150, 'starting the owner and the collector');
    const kafkaEnv = {
      SPANLENS_KAFKA_BROKERS: broker.bootstrap,
      SPANLENS_KAFKA_PARTITIONS: String(kafka.partitions),
      SPANLENS_KAFKA_TOPIC_SPANS: `bench-${runId}.spans`,
      SPANLENS_KAFKA_TOPIC_FEEDBACK: `bench-${runId}.feedback`,
      SPANLENS_KAFKA_TOPIC_DEAD_LETTER: `bench-${runId}.dead-letter`,
      SPANLENS_KAFKA_CONSUMER_GROUP: `bench-${runId}-ingest`,
    };
    const cpuProfileDir = options.serverCpuProfileDir ? resolve(options.serverCpuProfileDir) : undefined;
    const v8ProfileDir = options.serverV8ProfileDir ? resolve(options.serverV8ProfileDir) : undefined;
    const start = (roles: string, name: string, env: Record<string, string> = {}) =>
      startServer({ repoRoot, dataDir: tempDir(`spanlens-bench-${name}-`), startTimeoutMs: 60_000, cpuProfileDir, v8ProfileDir, env: { ...kafkaEnv, ...env, SPANLENS_ROLES: roles }, onChild: (child) => track(child) });
    log(`starting the store owner (ingest,jobs,api: one Kafka consumer, embedded chDB) and the collector, ${kafka.partitions} partitions`);
    owner = await start('ingest,jobs,api', 'owner');
    log(`owner pid ${owner.pid} listening on ${owner.url}`);
    collector = await start('collector', 'collector', collectorConfig(kafka));
    log(`collector pid ${collector.pid} listening on ${collector.url}`);
    clearTimeout(startPhase);
    for (const [server, name] of [[owner, 'the owner'], [collector, 'the collector']] as const) {
      const died = exitIfDuringLoad(server, name);
      server.child.once('exit', died);
      undoDeathWatch.push(() => server.child.off('exit', died));
    }

    const loadPhase = hardStop(options.warmupSeconds + options.seconds + 90, 'the distributed load');
    const brokerPid = broker.pid();
    const probes = {
      collector: new WindowProbe({ pid: collector.pid }, undefined),
      owner: new WindowProbe(owner, v8ProfileDir),
      broker: brokerPid === undefined ? undefined : new WindowProbe({ pid: brokerPid }, undefined),
    };
    const lagSampler = new Sampler(owner.url, collector.url, LAG_EVERY_MS);
    const windowSamples: Promise<Sample | undefined>[] = [];
    let drainSampler: Sampler | undefined;
    const ownerUrl = owner.url;
    const collectorUrl = collector.url;
    const gen = await runLoad(options, { url: collector.url, apiUrl: owner.url }, runId, (phase) => {
      for (const probe of Object.values(probes)) probe?.onPhase(phase);
      windowSamples.push(sample(ownerUrl, collectorUrl));
      // From the window's end on, look often enough to time the drain.
      if (phase === 'measure-end') drainSampler = new Sampler(ownerUrl, collectorUrl, DRAIN_POLL_MS);
    });
    clearTimeout(loadPhase);
    const windowSeconds = (gen.measureEnd - gen.measureStart) / 1000;
    const [collectorMem, ownerMem, brokerMem] = await Promise.all([probes.collector.finish(windowSeconds), probes.owner.finish(windowSeconds), probes.broker?.finish(windowSeconds)]);

    const drainLimit = kafka.drainTimeoutSeconds ?? Math.max(60, options.seconds);
    const drainPhase = hardStop(drainLimit + 150, 'waiting for the owner to store everything');
    const lastAck = [...gen.acks.at, ...gen.markerAcks.at].reduce((a, b) => Math.max(a, b), gen.measureEnd);
    const deadline = Date.now() + drainLimit * 1000;
    log(`load done; waiting (at most ${drainLimit} s) until the owner has stored every acknowledged span`);
    drainSampler ??= new Sampler(ownerUrl, collectorUrl, DRAIN_POLL_MS);
    while (Date.now() < deadline && !(drainSampler.latest() && drained(drainSampler.latest()!))) await sleep(DRAIN_POLL_MS);
    await drainSampler.stop();
    // The first look of the last unbroken run of drained looks.
    let drainedSince: number | undefined;
    for (const s of drainSampler.samples) drainedSince = drained(s) ? (drainedSince ?? s.at) : undefined;
    let check = await checkStoredTotals(owner.url, gen, runStarted);
    while (check.apiCalls !== check.expected && Date.now() < deadline) {
      await sleep(500);
      check = await checkStoredTotals(owner.url, gen, runStarted);
    }
    const apiConfirmedSeconds = check.apiCalls === check.expected ? (Date.now() - lastAck) / 1000 : undefined;
    await lagSampler.stop();
    clearTimeout(drainPhase);

    const stopPhase = hardStop(120, 'stopping the collector, the owner and the broker');
    for (const undo of undoDeathWatch.splice(0)) undo();
    const collectorStop = await stopServer(collector, 'collector');
    const ownerStop = await stopServer(owner, 'owner');
    log('stopping the broker (scripts/kafka.sh stop)');
    await broker.stop();
    clearTimeout(stopPhase);

    const peak = (m: { vmHwm: number; rssMaxSampled: number } | undefined) => (m ? Math.max(m.vmHwm, m.rssMaxSampled) : 0);
    return {
      gen,
      check,
      lagSeries: lagSampler.samples,
      window: (await Promise.all(windowSamples)) as [Sample | undefined, Sample | undefined],
      drainSeconds: drainedSince === undefined ? undefined : Math.max(0, drainedSince - lastAck) / 1000,
      apiConfirmedSeconds,
      lastAckSeconds: (lastAck - gen.measureEnd) / 1000,
      collector: { peakRssBytes: peak(collectorMem), cpuSeconds: probes.collector.serverCpuSeconds, ...collectorStop, warnings: collector.warnings() },
      owner: { peakRssBytes: peak(ownerMem), cpuSeconds: probes.owner.serverCpuSeconds, ...ownerStop, warnings: owner.warnings(), ingest: ownerMem.ingest },
      broker: { peakRssBytes: peak(brokerMem), cpuSeconds: probes.broker?.serverCpuSeconds, pid: brokerPid },
      machineCores: probes.owner.machineCores,
      readyLine,
    };
  } finally {
    // Only does something when the run above failed half-way.
    for (const undo of undoDeathWatch) undo();
    await collector?.stop(5_000);
    await owner?.stop(10_000);
    await broker.stop().catch((error: Error) => log(`broker stop failed: ${error.message}`));
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Settings with no SPANLENS_* variable go to the collector in a config file (JSON is YAML). */
function collectorConfig(kafka: KafkaOptions): Record<string, string> {
  if (kafka.publishBatchMaxSpans === undefined) return {};
  const file = join(tempDir('spanlens-bench-config-'), 'spanlens.yaml');
  writeFileSync(file, JSON.stringify({ kafka: { publish_batch_max_spans: kafka.publishBatchMaxSpans } }));
  log(`collector: kafka.publish_batch_max_spans = ${kafka.publishBatchMaxSpans}`);
  return { SPANLENS_CONFIG: file };
}

function computeKafkaFigures(options: BenchOptions, kafka: KafkaOptions, run: DistributedRun, base: EmbeddedRun, backgroundCoresBefore: number | undefined) {
  const d = loadFigures(run.gen);
  const e = loadFigures(base.gen);
  const [atStart, atEnd] = run.window;
  const perWindow = (pick: (s: Sample) => number) => (atStart && atEnd ? (pick(atEnd) - pick(atStart)) / d.windowSeconds : Number.NaN);
  const storedByOwner = perWindow((s) => s.consumed);
  // Sustained end to end: what the collector took in and the owner stored, whichever is slower.
  const endToEnd = Math.min(d.storedRate, storedByOwner);
  const ratio = endToEnd / e.storedRate;
  const publishes = atStart && atEnd ? atEnd.publishes - atStart.publishes : Number.NaN;
  const publishMeanMs = atStart && atEnd ? ((atEnd.publishSeconds - atStart.publishSeconds) / publishes) * 1000 : Number.NaN;
  const lags = run.lagSeries.map((s) => s.lag);
  // Acknowledged by Kafka, not yet stored: the lag gauge misses the spans a worker has fetched and is storing.
  const backlog = (s: Sample) => Math.max(0, s.published - s.consumed);
  const backlogs = [...run.lagSeries, ...run.window.filter((s) => s !== undefined)].map(backlog);
  const cores = (seconds: number | undefined, windowSeconds: number) => (seconds === undefined ? null : round(seconds / windowSeconds, 2));
  const generatorCores = (run.gen.generatorCpu.userMs + run.gen.generatorCpu.systemMs) / 1000 / d.windowSeconds;
  const known = [run.collector.cpuSeconds, run.owner.cpuSeconds, run.broker.cpuSeconds].every((s) => s !== undefined);
  const otherCores = run.machineCores === undefined || !known ? undefined : Math.max(0, run.machineCores - generatorCores - (run.collector.cpuSeconds! + run.owner.cpuSeconds! + run.broker.cpuSeconds!) / d.windowSeconds);
  const mib = (bytes: number) => (bytes > 0 ? round(bytes / 1024 / 1024, 0) : null);
  const storedOk = (check: StoredCheck) => check.apiCalls === check.expected;
  const t0 = run.gen.measureStart - options.warmupSeconds * 1000;

  return {
    bench: 'kafka',
    at: new Date().toISOString(),
    options: {
      seconds: options.seconds,
      warmup_s: options.warmupSeconds,
      concurrency: options.concurrency,
      spans_per_request: `${options.minSpans}-${options.maxSpans}`,
      partitions: kafka.partitions,
      publish_batch_max_spans: kafka.publishBatchMaxSpans ?? configSchema.parse({}).kafka.publish_batch_max_spans,
    },
    spans_per_s_stored_end_to_end: round(endToEnd, 0),
    spans_per_s_acked_by_collector: round(d.storedRate, 0),
    spans_per_s_stored_by_owner_in_window: round(storedByOwner, 0),
    ack_ms: d.json.ack_ms,
    receipt_to_queryable_ms: d.json.marker_visible_ms,
    max_consumer_lag_spans: lags.length > 0 ? Math.max(...lags) : null,
    consumer_lag_at_window_end: atEnd?.lag ?? null,
    max_backlog_spans: backlogs.length > 0 ? Math.max(...backlogs) : null,
    backlog_at_window_end: atEnd ? backlog(atEnd) : null,
    drain_s: run.drainSeconds === undefined ? null : round(run.drainSeconds, 2),
    api_confirmed_s: run.apiConfirmedSeconds === undefined ? null : round(run.apiConfirmedSeconds, 2),
    last_ack_after_window_s: round(run.lastAckSeconds, 2),
    kafka_publish_mean_ms: round(publishMeanMs, 1),
    kafka_publishes_per_s: round(publishes / d.windowSeconds, 1),
    peak_rss_mib: { collector: mib(run.collector.peakRssBytes), owner: mib(run.owner.peakRssBytes), broker: mib(run.broker.peakRssBytes) },
    cpu_cores: {
      collector: cores(run.collector.cpuSeconds, d.windowSeconds),
      owner: cores(run.owner.cpuSeconds, d.windowSeconds),
      broker: cores(run.broker.cpuSeconds, d.windowSeconds),
      load_generator: round(generatorCores, 2),
      other_processes: otherCores === undefined ? null : round(otherCores, 2),
      machine: run.machineCores === undefined ? null : round(run.machineCores, 2),
      background_before: backgroundCoresBefore === undefined ? null : round(backgroundCoresBefore, 2),
    },
    owner_ingest: run.owner.ingest ?? null,
    stored_check: { expected_llm_spans: run.check.expected, api_calls: run.check.apiCalls ?? null, ok: storedOk(run.check), unpriced_calls: run.check.unpricedCalls ?? null },
    shutdown: {
      collector_s: round(run.collector.shutdownSeconds, 2),
      collector_clean: run.collector.shutdownClean,
      owner_s: round(run.owner.shutdownSeconds, 2),
      owner_clean: run.owner.shutdownClean,
    },
    warnings: { collector: run.collector.warnings.count, owner: run.owner.warnings.count },
    lag_series: run.lagSeries.map((s) => ({ t_s: round((s.at - t0) / 1000, 1), lag: s.lag, backlog: backlog(s), pending: s.pending, consumed: s.consumed, published: s.published })),
    distributed: d.json,
    embedded: {
      ...e.json,
      peak_rss_mib: mib(Math.max(base.serverSide.vmHwm, base.serverSide.rssMaxSampled)),
      server_cpu_cores: cores(base.serverSide.cpuSecondsInWindow, e.windowSeconds),
      machine_cpu_cores: base.serverSide.machineCoresInWindow === undefined ? null : round(base.serverSide.machineCoresInWindow, 2),
      server_ingest: base.serverSide.ingest ?? null,
      stored_check: { expected_llm_spans: base.check.expected, api_calls: base.check.apiCalls ?? null, ok: storedOk(base.check) },
      shutdown_clean: base.serverSide.shutdownClean,
    },
    distributed_over_embedded: round(ratio, 3),
    targets: {
      spans_per_s: verdict(endToEnd >= TARGETS.spansPerSecond, Number.isFinite(endToEnd)),
      receipt_to_queryable_p99: verdict(d.markerP99 < TARGETS.receiptToQueryableP99Ms, run.gen.markers.length > 0),
    },
  };
}

type KafkaFigures = ReturnType<typeof computeKafkaFigures>;

function printKafkaTable(f: KafkaFigures, run: DistributedRun): void {
  const n = (v: number | null) => (v === null ? 'n/a' : fmt.int(v));
  const ms = (v: number | null) => (v === null ? 'n/a' : fmt.ms(v));
  const s = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} s`);
  const c = f.cpu_cores;
  const ingest = f.owner_ingest;
  const rows: [string, string, string?][] = [
    ['spans/s stored end to end', n(f.spans_per_s_stored_end_to_end), `target ≥ ${fmt.int(TARGETS.spansPerSecond)}: ${f.targets.spans_per_s}`],
    ['  acked by the collector', `${n(f.spans_per_s_acked_by_collector)} LLM spans/s (all spans ${n(f.distributed.spans_per_s_accepted)}/s, ${f.distributed.requests_per_s} requests/s)`],
    ['  stored by the owner', `${n(f.spans_per_s_stored_by_owner_in_window)} /s during the window`],
    ['  lowest acked 1 s / 5 s', `${n(f.distributed.lowest_1s_spans_per_s)} / ${n(f.distributed.lowest_5s_spans_per_s)} (${f.distributed.seconds_without_ack} s without an ack)`],
    ['ack latency p50 / p99', `${ms(f.ack_ms.p50)} / ${ms(f.ack_ms.p99)} (max ${ms(f.ack_ms.max)}; Kafka publish mean ${ms(f.kafka_publish_mean_ms)}, ${f.kafka_publishes_per_s ?? 'n/a'} publishes/s)`],
    ['receipt→queryable p50/p99', `${ms(f.receipt_to_queryable_ms.p50)} / ${ms(f.receipt_to_queryable_ms.p99)} (${f.receipt_to_queryable_ms.markers} markers, ${f.receipt_to_queryable_ms.never_visible} never visible)`, `target p99 < 5 s: ${f.targets.receipt_to_queryable_p99}`],
    ['503 (overload) answers', `${f.distributed.overloaded_503.window} in window, ${f.distributed.overloaded_503.total} in all (each retried)`],
    ['max consumer lag', `${n(f.max_consumer_lag_spans)} spans (${n(f.consumer_lag_at_window_end)} at the window's end; the owner's gauge, read at each fetch)`],
    ['max backlog', `${n(f.max_backlog_spans)} spans acked by Kafka and not yet stored (${n(f.backlog_at_window_end)} at the window's end)`],
    ['drain time', `${s(f.drain_s)} from the last ack (${s(f.last_ack_after_window_s)} after the window) until the owner stored all Kafka acked; API agreed after ${s(f.api_confirmed_s)}`],
    ['stored LLM spans (API)', `${n(f.stored_check.api_calls)} calls vs ${fmt.int(f.stored_check.expected_llm_spans)} acknowledged: ${f.stored_check.ok ? 'OK' : 'MISMATCH'}`],
    ['peak RSS', `collector ${f.peak_rss_mib.collector ?? 'n/a'} MiB, owner ${f.peak_rss_mib.owner ?? 'n/a'} MiB, broker ${f.peak_rss_mib.broker ?? 'n/a'} MiB (JVM -Xmx512m)`],
    ['CPU cores in window', `collector ${c.collector ?? 'n/a'}, owner ${c.owner ?? 'n/a'}, broker ${c.broker ?? 'n/a'}, load generator ${c.load_generator}, other ${c.other_processes ?? 'n/a'} (machine ${availableParallelism()} cores, ${c.machine ?? 'n/a'} busy; ${c.background_before ?? 'n/a'} busy before the bench)`],
    ['owner writer', ingest ? `${ingest.batches} batches, mean ${fmt.int(ingest.mean_batch_spans)} spans, mean insert ${fmt.ms(ingest.mean_insert_ms)}, busy ${Math.round(ingest.writer_busy * 100)}% of the window` : 'n/a'],
    ['embedded baseline', `${n(f.embedded.spans_per_s_stored)} spans/s stored; ack p50/p99 ${ms(f.embedded.ack_ms.p50)} / ${ms(f.embedded.ack_ms.p99)}; receipt→queryable p99 ${ms(f.embedded.marker_visible_ms.p99)}`],
    ['  server', `peak RSS ${f.embedded.peak_rss_mib ?? 'n/a'} MiB, ${f.embedded.server_cpu_cores ?? 'n/a'} cores (machine ${f.embedded.machine_cpu_cores ?? 'n/a'} busy); stored check ${f.embedded.stored_check.ok ? 'OK' : 'MISMATCH'}`],
    ['distributed / embedded', fmt.ratio(f.distributed_over_embedded ?? Number.NaN)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const lines = [
    '',
    '── Spanlens distributed (Kafka) benchmark ────────────────────────────────',
    `window: ${f.distributed.window_s} s measured after ${f.options.warmup_s} s warm-up, ${f.options.concurrency} requests in flight, ${f.options.spans_per_request} spans/request, ${f.options.partitions} partitions, publish batches ≤ ${fmt.int(f.options.publish_batch_max_spans)} spans; ${run.readyLine}`,
    ...rows.map(([label, value, target]) => `${label.padEnd(width)} : ${value}${target ? `   [${target}]` : ''}`),
    '',
    `consumer lag over time (every ${LAG_EVERY_MS / 1000} s; t from the load's start, window ${f.options.warmup_s}–${f.options.warmup_s + f.options.seconds} s; backlog = acked by Kafka − stored):`,
    `  ${'t'.padStart(7)}  ${'lag (spans)'.padStart(12)}  ${'backlog'.padStart(8)}  ${'collector pending'.padStart(17)}  ${'stored total'.padStart(12)}  ${'acked by Kafka'.padStart(14)}`,
    ...f.lag_series.map((p) => `  ${`${p.t_s} s`.padStart(7)}  ${fmt.int(p.lag).padStart(12)}  ${fmt.int(p.backlog).padStart(8)}  ${fmt.int(p.pending).padStart(17)}  ${fmt.int(p.consumed).padStart(12)}  ${fmt.int(p.published).padStart(14)}`),
  ];
  const problems = loadNotes(run.gen, f.distributed);
  if ((c.other_processes ?? 0) > 0.25) problems.push(`WARNING: other processes used ${c.other_processes} cores during the window; the figures are skewed by that load`);
  if (!f.shutdown.collector_clean || !f.shutdown.owner_clean) problems.push('WARNING: the collector or the owner did not stop cleanly (see above)');
  for (const [name, side] of [['collector', run.collector], ['owner', run.owner]] as const) {
    if (side.warnings.count > 0) problems.push(`the ${name} logged ${side.warnings.count} warnings/errors, e.g. ${side.warnings.samples[0]}`);
  }
  if (run.check.error) problems.push(`stored-totals check failed: ${run.check.error}`);
  if (problems.length > 0) lines.push('notes:', ...problems.map((p) => `  - ${p}`));
  lines.push('──────────────────────────────────────────────────────────────────────────');
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<number> {
  const { options, kafka } = parseKafkaArgs(process.argv.slice(2));
  if (options.serverCpuProfileDir) mkdirSync(resolve(options.serverCpuProfileDir), { recursive: true });
  if (options.serverV8ProfileDir) mkdirSync(resolve(options.serverV8ProfileDir), { recursive: true });

  const backgroundCoresBefore = await backgroundCores();
  log(`machine: ${availableParallelism()} cores, ${backgroundCoresBefore === undefined ? '?' : backgroundCoresBefore.toFixed(2)} cores busy with other work before the bench`);

  const runStarted = Date.now();
  const run = await runDistributed(options, kafka, randomBytes(8).toString('hex'), runStarted);

  log('baseline: the same load against an embedded server (all roles, no Kafka)');
  const baseline = { ...options, serverCpuProfileDir: undefined, serverV8ProfileDir: undefined };
  const base = await runEmbedded(baseline, randomBytes(8).toString('hex'), Date.now(), backgroundCoresBefore);

  const figures = computeKafkaFigures(options, kafka, run, base, backgroundCoresBefore);
  printKafkaTable(figures, run);
  process.stdout.write(`BENCH_KAFKA_JSON ${JSON.stringify(figures)}\n`);

  let failed = false;
  if (!figures.stored_check.ok) {
    reportMismatch(run.check, 'the collector');
    failed = true;
  }
  if (!figures.embedded.stored_check.ok) {
    reportMismatch(base.check, 'the embedded baseline server');
    failed = true;
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[bench] failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
