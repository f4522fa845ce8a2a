import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getCosts } from './costs';
import { newSpanId, newTraceId, otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './otlp-json';
import { repoRoot, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './spanlens-process';

/** Topics and consumer group of one test, so tests never see each other's messages. */
export interface KafkaSetup {
  brokers: string[];
  spansTopic: string;
  deadLetterTopic: string;
  group: string;
  env: Record<string, string>;
}

export function kafkaSetup(brokers: string[], name: string): KafkaSetup {
  const prefix = `test-${name}-${randomBytes(4).toString('hex')}`;
  const spansTopic = `${prefix}.spans`;
  const deadLetterTopic = `${prefix}.dead-letter`;
  const group = `${prefix}-ingest`;
  return {
    brokers,
    spansTopic,
    deadLetterTopic,
    group,
    env: {
      SPANLENS_KAFKA_BROKERS: brokers.join(','),
      SPANLENS_KAFKA_TOPIC_SPANS: spansTopic,
      SPANLENS_KAFKA_TOPIC_FEEDBACK: `${prefix}.feedback`,
      SPANLENS_KAFKA_TOPIC_DEAD_LETTER: deadLetterTopic,
      SPANLENS_KAFKA_PARTITIONS: '2',
      SPANLENS_KAFKA_CONSUMER_GROUP: group,
    },
  };
}

/**
 * The process that owns the embedded store: it runs the API and stores the
 * spans that ingest workers hand it, and consumes nothing itself, so every
 * consumer in a test is a worker process the test can kill or add.
 */
export function startStoreOwner(options: { dataDir: string; database: string; env?: Record<string, string> }): Promise<SpanlensProcess> {
  return startSpanlensProcess({
    dataDir: options.dataDir,
    env: { SPANLENS_ROLES: 'ingest,jobs,api', SPANLENS_CLICKHOUSE_DATABASE: options.database, ...options.env },
  });
}

export function startIngestWorker(kafka: KafkaSetup, ownerUrl: string): Promise<SpanlensProcess> {
  return startSpanlensProcess({
    dataDir: tempDataDir('spanlens-worker-'),
    env: { ...kafka.env, SPANLENS_ROLES: 'ingest', SPANLENS_STORAGE_OWNER_URL: ownerUrl },
  });
}

/** Resolves once the worker holds partitions of the spans topic (it has joined the group). */
export async function joinedGroup(worker: SpanlensProcess, kafka: KafkaSetup, timeoutMs = 60_000): Promise<number> {
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const partitions = await metricValue(worker.url, 'spanlens_kafka_assigned_partitions', { topic: kafka.spansTopic });
    if (partitions > 0) return partitions;
    if (Date.now() > stopAt) throw new Error(`worker at ${worker.url} got no partition of ${kafka.spansTopic} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export function startCollector(kafka: KafkaSetup, env: Record<string, string> = {}): Promise<SpanlensProcess> {
  return startSpanlensProcess({ dataDir: tempDataDir('spanlens-collector-'), env: { ...kafka.env, SPANLENS_ROLES: 'collector', ...env } });
}

// gpt-4o at $2.50 in / $10 out per million tokens, worked out here rather than by the pricer.
const GPT_4O_INPUT = 2.5 / 1_000_000;
const GPT_4O_OUTPUT = 10 / 1_000_000;

/** A workload of LLM calls with distinct ids and varied token counts, and what it must cost. */
export function llmCalls(feature: string, count: number, startMs: number, options: { extraAttributeChars?: number } = {}) {
  const spans: JsonSpanInput[] = [];
  let costUsd = 0;
  for (let i = 0; i < count; i++) {
    const input = 100 + (i % 50);
    const output = 10 + (i % 20);
    costUsd += input * GPT_4O_INPUT + output * GPT_4O_OUTPUT;
    spans.push({
      traceId: newTraceId(),
      spanId: newSpanId(),
      startMs: startMs + (i % 1000),
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
        'spanlens.feature': feature,
        ...(options.extraAttributeChars ? { 'app.request.summary': `${i}:`.padEnd(options.extraAttributeChars, 'x') } : {}),
      },
    });
  }
  return { spans, costUsd, spanIds: spans.map((span) => span.spanId as string).sort() };
}

/** Requests of `perRequest` spans each. */
export function toRequests(spans: JsonSpanInput[], perRequest: number): unknown[] {
  const requests = [];
  for (let i = 0; i < spans.length; i += perRequest) requests.push(otlpJsonRequest(spans.slice(i, i + perRequest)));
  return requests;
}

export interface SendOutcome {
  /** Every status seen, retries included. */
  statuses: number[];
  /** 429/503 answers that carried no Retry-After header. */
  refusalsWithoutRetryAfter: number;
}

/**
 * Sends requests `concurrency` at a time and retries each until it is
 * acknowledged, as OpenTelemetry exporters do: on 429/503 after Retry-After,
 * on a refused connection after a short pause. Gives up at `deadline`.
 */
export async function sendAll(url: () => string, requests: unknown[], options: { concurrency: number; deadline: number; pauseMs?: number; onSent?: (done: number) => void; before?: (index: number) => Promise<void> }): Promise<SendOutcome> {
  const outcome: SendOutcome = { statuses: [], refusalsWithoutRetryAfter: 0 };
  let next = 0;
  let done = 0;
  const lane = async () => {
    while (next < requests.length) {
      const index = next++;
      const body = requests[index];
      await options.before?.(index);
      for (;;) {
        if (Date.now() > options.deadline) throw new Error(`request not acknowledged before the deadline; statuses so far: ${summarize(outcome.statuses)}`);
        let retryMs = 250;
        try {
          // An exporter gives up on an unanswered request (the OpenTelemetry default is 10 s) and retries it.
          const response = await postOtlpJson(url(), body, {}, AbortSignal.timeout(30_000));
          await response.arrayBuffer();
          outcome.statuses.push(response.status);
          if (response.status === 200) break;
          if (response.status !== 429 && response.status !== 503) throw new Error(`unexpected status ${response.status}`);
          const retryAfter = response.headers.get('retry-after');
          if (!retryAfter) outcome.refusalsWithoutRetryAfter += 1;
          retryMs = Math.min(Number(retryAfter ?? 1) * 1000, 2000);
        } catch (error) {
          if ((error as Error).message.startsWith('unexpected status')) throw error;
          outcome.statuses.push(0);
        }
        await new Promise((resolve) => setTimeout(resolve, retryMs));
      }
      options.onSent?.(++done);
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return outcome;
}

function summarize(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${status}×${n}`).join(' ');
}

/** Polls the API until the feature shows `calls` calls (or the time is up) and returns what it shows. */
export async function waitForCalls(ownerUrl: string, feature: string, calls: number, timeoutMs: number) {
  const range = { from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() };
  const stopAt = Date.now() + timeoutMs;
  for (;;) {
    const report = await getCosts(ownerUrl, { group_by: 'feature', ...range });
    const row = report.rows.find((r) => r.key === feature) ?? { calls: 0, cost_usd: 0 };
    if (row.calls >= calls || Date.now() > stopAt) return row;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The value of a Prometheus metric in a process, summed over the label sets that match. */
export async function metricValue(url: string, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const line of text.split('\n')) {
    const match = /^([a-z_:]+)(\{[^}]*\})? ([0-9.eE+-]+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const labelText = match[2] ?? '';
    if (Object.entries(labels).every(([key, value]) => labelText.includes(`${key}="${value}"`))) total += Number(match[3]);
  }
  return total;
}

/** What the store holds for a feature, read in a separate process once the owner has stopped. */
export async function storeCensus(dataDir: string, database: string, feature: string): Promise<{ rows: number; spanIds: string[]; costUsd: number }> {
  return JSON.parse(await census(dataDir, database, 'spans', feature)) as { rows: number; spanIds: string[]; costUsd: number };
}

export interface StoredFeedback {
  feedback_id: string;
  span_id: string;
  user_id: string;
  score: number;
  comment: string;
}

/** The feedback stored for a trace (one row per feedback id, its latest version), read like storeCensus. */
export async function feedbackCensus(dataDir: string, database: string, traceId: string): Promise<StoredFeedback[]> {
  return (JSON.parse(await census(dataDir, database, 'feedback', traceId)) as { feedback: StoredFeedback[] }).feedback;
}

/** Every row of every table of the store, as text, for searching (read like storeCensus). */
export function storeDump(dataDir: string, database: string): Promise<string> {
  return census(dataDir, database, 'dump', '-');
}

async function census(dataDir: string, database: string, kind: 'spans' | 'feedback' | 'dump', key: string): Promise<string> {
  const script = join(repoRoot, 'test/support/store-census.ts');
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, dataDir, database, kind, key], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}
