import { availableParallelism } from 'node:os';
import type { BenchOptions } from './args';
import type { GeneratorResult, RawInsertMessage } from './protocol';
import type { ingestDelta } from './server-metrics';
import { bucketRates, fmt, percentile, round, sum } from './stats';

export const TARGETS = { spansPerSecond: 40_000, receiptToQueryableP99Ms: 2_000, rssBytes: 500 * 1024 * 1024, pipelineOverRaw: 0.5 };

export interface ServerSide {
  rssMaxSampled: number;
  vmHwm: number;
  cpuSecondsInWindow: number | undefined;
  shutdownSeconds: number;
  shutdownClean: boolean;
  warnings: { count: number; samples: string[] };
  /** From the server's /metrics over the measured window. */
  ingest: ReturnType<typeof ingestDelta>;
  /** Whole machine, all processes, during the window. */
  machineCoresInWindow: number | undefined;
  /** Whole machine during 2 s before the server started. */
  backgroundCoresBefore: number | undefined;
}

export interface StoredCheck {
  expected: number;
  apiCalls: number | undefined;
  unpricedCalls: number | undefined;
  byModel: Record<string, number>;
  error: string | undefined;
}

type RawResult = Extract<RawInsertMessage, { type: 'result' }> & { machineCores: number | undefined };

/** A target's verdict for the JSON line and the table. */
export const verdict = (ok: boolean, known = true) => (!known ? 'UNKNOWN' : ok ? 'OK' : 'MISSED');

/** Notes on the load's requests: errors, answers not retried, requests never acknowledged, spans rejected. */
export function loadNotes(gen: GeneratorResult, f: Pick<ReturnType<typeof loadFigures>['json'], 'transport_errors' | 'abandoned_requests' | 'rejected_spans'>): string[] {
  const notes: string[] = [];
  if (f.transport_errors > 0) notes.push(`${f.transport_errors} transport errors (retried), e.g. ${gen.transportErrors.samples[0] ?? ''}`);
  for (const [status, failure] of Object.entries(gen.failures)) notes.push(`${failure.count} answers with status ${status} (not retried), e.g. ${failure.sample}`);
  if (f.abandoned_requests > 0) notes.push(`${f.abandoned_requests} requests never acknowledged before the drain deadline`);
  if (f.rejected_spans > 0) notes.push(`${f.rejected_spans} spans rejected in partial_success answers`);
  return notes;
}

/**
 * What the load generator saw over its measured window: LLM spans
 * acknowledged per second, ack latency, how soon markers became queryable,
 * refusals and errors. `json` is the part of a bench's JSON line; the other
 * fields are the unrounded values behind the targets.
 */
export function loadFigures(gen: GeneratorResult) {
  const { measureStart: start, measureEnd: end } = gen;
  const windowSeconds = (end - start) / 1000;
  const inWindow = gen.acks.at.map((at) => at >= start && at < end);
  const pick = (values: number[]) => values.filter((_, i) => inWindow[i]);
  const stored = gen.acks.llmSpans.map((n, i) => n - gen.acks.rejected[i]!);
  const storedRate = sum(pick(stored)) / windowSeconds;
  const perSecond = bucketRates(gen.acks.at, stored, start, end, 1000);
  const perFive = bucketRates(gen.acks.at, stored, start, end, 5000);
  const latency = pick(gen.acks.latencyMs);
  const visible = gen.markers.map((m) => m.visibleMs).filter((v): v is number => v !== null);
  const neverVisible = gen.markers.length - visible.length;
  // A marker that never showed up counts as infinitely late, so it cannot hide in the p99.
  const visibleWithMisses = [...visible, ...new Array<number>(neverVisible).fill(Number.POSITIVE_INFINITY)];
  const markerP99 = percentile(visibleWithMisses, 0.99);
  const ackP99 = percentile(latency, 0.99);
  return {
    windowSeconds,
    storedRate,
    ackP99,
    markerP99,
    acksInWindow: latency.length,
    json: {
      window_s: round(windowSeconds, 2),
      spans_per_s_stored: round(storedRate, 0),
      spans_per_s_accepted: round(sum(pick(gen.acks.spans)) / windowSeconds, 0),
      requests_per_s: round(pick(gen.acks.at).length / windowSeconds, 1),
      lowest_1s_spans_per_s: round(Math.min(...perSecond), 0),
      lowest_5s_spans_per_s: round(Math.min(...perFive), 0),
      seconds_without_ack: perSecond.filter((rate) => rate === 0).length,
      ack_ms: { p50: round(percentile(latency, 0.5)), p99: round(ackP99), max: round(Math.max(...latency)) },
      marker_visible_ms: { p50: round(percentile(visible, 0.5)), p99: round(markerP99), max: round(Math.max(...visible)), markers: gen.markers.length, never_visible: neverVisible },
      marker_ack_ms: { p50: round(percentile(gen.markerAcks.latencyMs, 0.5)), p99: round(percentile(gen.markerAcks.latencyMs, 0.99)) },
      costs_query_ms: { p50: round(percentile(gen.pollMs, 0.5)), p99: round(percentile(gen.pollMs, 0.99)), polls: gen.pollMs.length, failed: gen.pollFailures },
      overloaded_503: { window: gen.overloaded.inWindow, total: gen.overloaded.total },
      rejected_spans: sum(gen.acks.rejected) + sum(gen.markerAcks.rejected),
      transport_errors: gen.transportErrors.total,
      failed_requests: Object.fromEntries(Object.entries(gen.failures).map(([status, f]) => [status, f.count])),
      abandoned_requests: gen.abandoned,
    },
  };
}

export function computeFigures(options: BenchOptions, gen: GeneratorResult, server: ServerSide, check: StoredCheck, raw: RawResult | { error: string }) {
  const load = loadFigures(gen);
  const { windowSeconds, storedRate, ackP99, markerP99 } = load;
  const peakRss = Math.max(server.rssMaxSampled, server.vmHwm);
  const rawRate = 'error' in raw ? Number.NaN : raw.rowsPerSecond;
  const ratio = storedRate / rawRate;
  const generatorCores = (gen.generatorCpu.userMs + gen.generatorCpu.systemMs) / 1000 / windowSeconds;
  const serverCores = server.cpuSecondsInWindow === undefined ? undefined : server.cpuSecondsInWindow / windowSeconds;
  const otherCores = server.machineCoresInWindow === undefined || serverCores === undefined ? undefined : Math.max(0, server.machineCoresInWindow - serverCores - generatorCores);

  return {
    bench: 'ingest',
    at: new Date().toISOString(),
    options: { seconds: options.seconds, warmup_s: options.warmupSeconds, concurrency: options.concurrency, spans_per_request: `${options.minSpans}-${options.maxSpans}` },
    ...load.json,
    server_peak_rss_mib: round(peakRss / 1024 / 1024, 0),
    server_vmhwm_mib: round(server.vmHwm / 1024 / 1024, 0),
    server_rss_max_sampled_mib: round(server.rssMaxSampled / 1024 / 1024, 0),
    server_cpu_cores: serverCores === undefined ? null : round(serverCores, 2),
    generator_cpu_cores: round(generatorCores, 2),
    machine_cpu_cores: server.machineCoresInWindow === undefined ? null : round(server.machineCoresInWindow, 2),
    other_processes_cpu_cores: otherCores === undefined ? null : round(otherCores, 2),
    background_cpu_cores_before: server.backgroundCoresBefore === undefined ? null : round(server.backgroundCoresBefore, 2),
    generator_loop_delay_p99_ms: round(gen.eventLoopDelayP99Ms),
    server_ingest: server.ingest ?? null,
    server_shutdown_s: round(server.shutdownSeconds, 2),
    server_shutdown_clean: server.shutdownClean,
    server_warnings: server.warnings.count,
    stored_check: { expected_llm_spans: check.expected, api_calls: check.apiCalls ?? null, ok: check.apiCalls === check.expected, unpriced_calls: check.unpricedCalls ?? null },
    raw_rows_per_s: round(rawRate, 0),
    raw_rows: 'error' in raw ? null : raw.rows,
    raw_seconds: 'error' in raw ? null : round(raw.seconds, 2),
    raw_cpu_cores: 'error' in raw ? null : round(raw.cpuSeconds / raw.seconds, 2),
    raw_other_processes_cpu_cores: 'error' in raw || raw.machineCores === undefined ? null : round(Math.max(0, raw.machineCores - raw.cpuSeconds / raw.seconds), 2),
    pipeline_over_raw: round(ratio, 3),
    targets: {
      spans_per_s: verdict(storedRate >= TARGETS.spansPerSecond),
      ack_p99: verdict(ackP99 < TARGETS.receiptToQueryableP99Ms, load.acksInWindow > 0),
      marker_visible_p99: verdict(markerP99 < TARGETS.receiptToQueryableP99Ms, gen.markers.length > 0),
      rss: verdict(peakRss < TARGETS.rssBytes, peakRss > 0),
      pipeline_over_raw: verdict(ratio >= TARGETS.pipelineOverRaw, Number.isFinite(ratio)),
    },
  };
}

export type Figures = ReturnType<typeof computeFigures>;

export function printTable(f: Figures, gen: GeneratorResult, check: StoredCheck, raw: RawResult | { error: string }, serverShutdownClean: boolean): void {
  const ms = (v: number | null) => (v === null ? 'n/a' : fmt.ms(v));
  const lines = [
    '',
    '── Spanlens ingest benchmark ─────────────────────────────────────────────',
    `window                  : ${f.window_s} s measured after ${f.options.warmup_s} s warm-up, ${f.options.concurrency} requests in flight, ${f.options.spans_per_request} spans/request`,
    `spans/s accepted+stored : ${fmt.int(f.spans_per_s_stored ?? Number.NaN)}  (target ≥ ${fmt.int(TARGETS.spansPerSecond)})  ${f.targets.spans_per_s}`,
    `  all spans acked/s     : ${fmt.int(f.spans_per_s_accepted ?? Number.NaN)} (incl. non-LLM spans, received but not stored)`,
    `  lowest 1 s / 5 s      : ${fmt.int(f.lowest_1s_spans_per_s ?? Number.NaN)} / ${fmt.int(f.lowest_5s_spans_per_s ?? Number.NaN)} spans/s (${f.seconds_without_ack} whole seconds without a single ack)`,
    `requests/s              : ${f.requests_per_s}`,
    `503 (overload) answers  : ${f.overloaded_503.window} in window, ${f.overloaded_503.total} in all (each retried)`,
    `ack latency p50 / p99   : ${ms(f.ack_ms.p50)} / ${ms(f.ack_ms.p99)}  (max ${ms(f.ack_ms.max)}; target p99 < 2 s)  ${f.targets.ack_p99}`,
    `marker visible p50/p99  : ${ms(f.marker_visible_ms.p50)} / ${ms(f.marker_visible_ms.p99)}  (${f.marker_visible_ms.markers} markers, ${f.marker_visible_ms.never_visible} never visible; target p99 < 2 s)  ${f.targets.marker_visible_p99}`,
    `  costs query p50 / p99 : ${ms(f.costs_query_ms.p50)} / ${ms(f.costs_query_ms.p99)} (${f.costs_query_ms.polls} polls, ${f.costs_query_ms.failed} failed)`,
    `peak RSS (server)       : ${f.server_peak_rss_mib ?? 'n/a'} MiB (VmHWM ${f.server_vmhwm_mib ?? 'n/a'}, max sampled VmRSS ${f.server_rss_max_sampled_mib ?? 'n/a'}; target < 500 MiB)  ${f.targets.rss}`,
    `  JS heap at window end : ${f.server_ingest ? `${f.server_ingest.v8_heap_total_mib} MiB V8 heap + ${f.server_ingest.external_mib} MiB external (the rest of the RSS is native: chDB, Node)` : 'n/a'}`,
    `CPU in window           : server ${f.server_cpu_cores ?? 'n/a'} cores, load generator ${f.generator_cpu_cores}, other processes ${f.other_processes_cpu_cores ?? 'n/a'} (machine: ${availableParallelism()} cores, ${f.machine_cpu_cores ?? 'n/a'} busy; generator loop delay p99 ${ms(f.generator_loop_delay_p99_ms)})`,
    `server writer (metrics) : ${f.server_ingest ? `${f.server_ingest.batches} batches, mean ${fmt.int(f.server_ingest.mean_batch_spans)} spans, mean insert ${fmt.ms(f.server_ingest.mean_insert_ms)}, busy ${Math.round(f.server_ingest.writer_busy * 100)}% of the window` : 'n/a'}`,
    `stored LLM spans (API)  : ${check.apiCalls === undefined ? 'n/a' : fmt.int(check.apiCalls)} calls vs ${fmt.int(check.expected)} acknowledged  ${f.stored_check.ok ? 'OK' : 'MISMATCH'}`,
    `raw chDB insert rate    : ${'error' in raw ? `failed: ${raw.error.split('\n')[0]}` : `${fmt.int(raw.rowsPerSecond)} rows/s (${fmt.int(raw.rows)} rows in ${raw.batches} sequential batches of ≤5,000, ${raw.seconds.toFixed(1)} s; batch p50 ${fmt.ms(raw.batchMsP50)}, max ${fmt.ms(raw.batchMsMax)}; ${(raw.cpuSeconds / raw.seconds).toFixed(2)} cores, other processes ${f.raw_other_processes_cpu_cores ?? 'n/a'})`}`,
    `pipeline / raw          : ${fmt.ratio(f.pipeline_over_raw ?? Number.NaN)} (target ≥ 0.5)  ${f.targets.pipeline_over_raw}`,
  ];
  const problems = loadNotes(gen, f);
  if ((f.other_processes_cpu_cores ?? 0) > 0.25) problems.push(`WARNING: other processes used ${f.other_processes_cpu_cores} cores during the window; the figures are skewed by that load`);
  if ((f.raw_other_processes_cpu_cores ?? 0) > 0.25) problems.push(`WARNING: other processes used ${f.raw_other_processes_cpu_cores} cores during the raw-insert baseline`);
  if (!serverShutdownClean) problems.push(`WARNING: the server did not stop within 30 s of SIGINT and was killed (see above)`);
  if (f.server_warnings > 0) problems.push(`the server logged ${f.server_warnings} warnings/errors`);
  if (check.error) problems.push(`stored-totals check failed: ${check.error}`);
  if (problems.length > 0) lines.push('notes:', ...problems.map((p) => `  - ${p}`));
  lines.push('──────────────────────────────────────────────────────────────────────────');
  process.stdout.write(`${lines.join('\n')}\n`);
}
