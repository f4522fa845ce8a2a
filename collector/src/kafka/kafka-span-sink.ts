import { CompressionTypes, type Kafka } from 'kafkajs';
import { encodeFeedbackEnvelope, encodeSpanEnvelope, type Feedback, type KafkaConfig, type LlmSpan, type Logger } from '@spanlens/core';
import { GroupCommitBatcher } from '../ingest/batcher';
import type { FeedbackSink, SpanSink } from '../receiver/sink';
import { chunkByBytes } from './publish-chunks';
import type { KafkaMetrics } from './kafka-metrics';
import { ResilientProducer } from './resilient-producer';

export interface KafkaSpanSinkOptions {
  kafka: Kafka;
  config: KafkaConfig;
  metrics: KafkaMetrics;
  logger: Logger;
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
 * batcher the embedded mode uses. Each batch is cut into sends below the
 * broker's record-batch size limit, and the sends run on a small pool of
 * idempotent producers, one request in flight each: an idempotent producer
 * must not pipeline requests (kafkajs cannot resequence them after a retry),
 * but several producers, each with its own producer id and sequence numbers,
 * can work at once. Order between spans is irrelevant here: every span is
 * its own row.
 *
 * Memory stays bounded when Kafka is slow or down: spans count as pending
 * until their publish settles (kafkajs retries, then the send fails and the
 * next one goes out on a new producer id: see ResilientProducer), a request
 * gives up waiting after `publish_timeout_ms` and is
 * answered 503, and once `max_pending_spans` are pending new requests are
 * refused at once. When the broker returns, the pending publish completes and
 * everything flows again; spans a client re-sent meanwhile are duplicates that
 * storage absorbs.
 */
export class KafkaSpanSink implements SpanSink {
  /** Feedback goes to its own topic, keyed by trace id like spans, acknowledged the same way. */
  readonly feedback: FeedbackSink = { submit: (items) => this.withTimeout(this.publishFeedback(items)) };

  private readonly producers: ResilientProducer[];
  private readonly idle: ResilientProducer[];
  private readonly waitingForProducer: Array<(producer: ResilientProducer) => void> = [];
  private readonly batcher: GroupCommitBatcher;
  private lastOutcome: { ok: boolean; at: number; error?: string } = { ok: true, at: Date.now() };
  private readonly compression: CompressionTypes;

  constructor(private readonly options: KafkaSpanSinkOptions) {
    const { config, metrics } = options;
    this.compression = config.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    const log = options.logger.child({ component: 'kafka-publisher' });
    this.producers = Array.from({ length: config.producers }, () => new ResilientProducer(options.kafka, log, () => metrics.producerReplacements.inc()));
    this.idle = [...this.producers];
    this.batcher = new GroupCommitBatcher({
      write: (spans) => this.publish(spans),
      maxSpans: config.publish_batch_max_spans,
      maxWaitMs: config.publish_batch_max_wait_ms,
      maxPending: config.max_pending_spans,
      // Two batches at once: one is encoded while the other waits for Kafka.
      maxConcurrentWrites: 2,
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
    await Promise.all(this.producers.map((producer) => producer.connect()));
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
    return this.withTimeout(this.batcher.submit(spans));
  }

  private withTimeout(published: Promise<void>): Promise<void> {
    const timeoutMs = this.options.config.publish_timeout_ms;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new PublishTimeoutError(timeoutMs)), timeoutMs);
    });
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
    await Promise.all(this.producers.map((producer) => producer.disconnect()));
  }

  private publish(spans: LlmSpan[]): Promise<void> {
    const messages = spans.map((span) => ({ key: span.trace_id, value: encodeSpanEnvelope(span) }));
    return this.send(this.options.config.topics.spans, messages);
  }

  private publishFeedback(feedback: Feedback[]): Promise<void> {
    const messages = feedback.map((item) => ({ key: item.trace_id, value: encodeFeedbackEnvelope(item) }));
    return this.send(this.options.config.topics.feedback, messages);
  }

  private async send(topic: string, messages: Array<{ key: string; value: string }>): Promise<void> {
    await Promise.all(
      chunkByBytes(messages, this.options.config.max_request_bytes).map(async (chunk) => {
        const producer = await this.takeProducer();
        try {
          await producer.send({ topic, acks: -1, messages: chunk, compression: this.compression });
        } finally {
          this.returnProducer(producer);
        }
      }),
    );
  }

  private takeProducer(): Promise<ResilientProducer> {
    const producer = this.idle.pop();
    if (producer) return Promise.resolve(producer);
    return new Promise((resolve) => this.waitingForProducer.push(resolve));
  }

  private returnProducer(producer: ResilientProducer): void {
    const next = this.waitingForProducer.shift();
    if (next) next(producer);
    else this.idle.push(producer);
  }
}
