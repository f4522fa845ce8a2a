import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import { encodeSpanEnvelope, type KafkaConfig, type LlmSpan } from '@spanlens/core';
import { GroupCommitBatcher } from '../ingest/batcher';
import type { SpanSink } from '../receiver/sink';
import type { KafkaMetrics } from './kafka-metrics';

export interface KafkaSpanSinkOptions {
  kafka: Kafka;
  config: KafkaConfig;
  metrics: KafkaMetrics;
}

/** A publish that outlived `publish_timeout_ms`; the request is answered 503 and retried by the client. */
export class PublishTimeoutError extends Error {
  constructor(ms: number) {
    super(`Kafka did not acknowledge the spans within ${ms} ms`);
    this.name = 'PublishTimeoutError';
  }
}

/**
 * The collector's sink in the distributed mode: spans go to the spans topic,
 * keyed by trace id, and a request is acknowledged only once Kafka has
 * acknowledged all of its spans (acks=all, idempotent producer).
 *
 * Concurrent requests are published together through the same group-commit
 * batcher the embedded mode uses, one produce request at a time: the
 * idempotent producer must not have two requests in flight, and one larger
 * produce request costs the broker far less than many small ones.
 *
 * Memory stays bounded when Kafka is slow or down: spans count as pending
 * until their publish settles (the idempotent producer retries for as long
 * as it takes), a request gives up waiting after `publish_timeout_ms` and is
 * answered 503, and once `max_pending_spans` are pending new requests are
 * refused at once. When the broker returns, the pending publish completes and
 * everything flows again; spans a client re-sent meanwhile are duplicates that
 * storage absorbs.
 */
export class KafkaSpanSink implements SpanSink {
  private readonly producer: Producer;
  private readonly batcher: GroupCommitBatcher;
  private lastOutcome: { ok: boolean; at: number; error?: string } = { ok: true, at: Date.now() };

  constructor(private readonly options: KafkaSpanSinkOptions) {
    const { config, metrics } = options;
    // The default partitioner (murmur2 of the key, as the Java client) keeps a trace's spans on one partition.
    this.producer = options.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    this.batcher = new GroupCommitBatcher({
      write: (spans) => this.publish(spans),
      maxSpans: config.publish_batch_max_spans,
      maxWaitMs: config.publish_batch_max_wait_ms,
      maxPending: config.max_pending_spans,
      maxConcurrentWrites: 1,
      onBatchWritten: ({ spans, seconds }) => {
        metrics.publishedSpans.inc(spans);
        metrics.publishSeconds.observe(seconds);
        this.lastOutcome = { ok: true, at: Date.now() };
      },
      onBatchFailed: ({ error }) => {
        metrics.publishFailures.inc();
        this.lastOutcome = { ok: false, at: Date.now(), error: error instanceof Error ? error.message : String(error) };
      },
    });
  }

  get pending(): number {
    return this.batcher.pending;
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  /** For /readyz: whether Kafka acknowledged the latest publish. */
  health(): { ok: boolean; detail: string } {
    const { ok, at, error } = this.lastOutcome;
    const since = new Date(at).toISOString();
    return ok ? { ok, detail: `Kafka acknowledging publishes (last at ${since})` } : { ok, detail: `Kafka publish failing since ${since}: ${error}` };
  }

  hasCapacity(spans: number): boolean {
    return this.batcher.hasCapacity(spans);
  }

  submit(spans: LlmSpan[]): Promise<void> {
    const timeoutMs = this.options.config.publish_timeout_ms;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new PublishTimeoutError(timeoutMs)), timeoutMs);
    });
    const published = this.batcher.submit(spans);
    // The publish goes on after a timeout; its outcome must not surface as an unhandled rejection.
    published.catch(() => undefined);
    return Promise.race([published, timeout]).finally(() => clearTimeout(timer));
  }

  /**
   * Publishes what was accepted, then disconnects. If Kafka is unreachable it
   * waits one publish timeout and then gives up: no request waiting on those
   * spans has been acknowledged, so their clients still hold them.
   */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const givenUp = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.config.publish_timeout_ms);
    });
    await Promise.race([this.batcher.close(), givenUp]).finally(() => clearTimeout(timer));
    await this.producer.disconnect();
  }

  private async publish(spans: LlmSpan[]): Promise<void> {
    await this.producer.send({
      topic: this.options.config.topics.spans,
      acks: -1,
      messages: spans.map((span) => ({ key: span.trace_id, value: encodeSpanEnvelope(span) })),
    });
  }
}
