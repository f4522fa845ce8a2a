import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { decodeFeedbackEnvelope, decodeSpanEnvelope, type Decoded, type KafkaConfig, type Logger } from '@spanlens/core';
import type { FeedbackSink, SpanSink } from '../receiver/sink';
import { deadLetterHeaders, deadLetterKind, deadLetterMessage } from './dead-letter';
import type { KafkaMetrics } from './kafka-metrics';
import { ResilientProducer } from './resilient-producer';

export interface KafkaIngestWorkerOptions {
  kafka: Kafka;
  config: KafkaConfig;
  /** Where spans are stored: the local ClickHouse batcher, or the owner of the embedded store. */
  store: SpanSink;
  /** Where feedback from the feedback topic is stored. */
  feedbackStore: FeedbackSink;
  metrics: KafkaMetrics;
  logger: Logger;
  /** Session timeout of the consumer group: how soon a dead worker's partitions move to others. */
  sessionTimeoutMs?: number;
}

/** Backoff of a consumer restart after a crash kafkajs does not recover from: 1 s, doubling to 30 s. */
const RESTART_FIRST_MS = 1_000;
const RESTART_MAX_MS = 30_000;

/**
 * An ingest worker: a member of the consumer group that reads span (and
 * feedback) messages, stores them, and only then commits their offsets. Delivery is therefore at
 * least once: a worker killed after its insert and before its commit, a
 * rebalance, or a rewound offset delivers messages again.
 *
 * Duplicates are absorbed by storage rather than by insert tokens: llm_spans
 * is a ReplacingMergeTree keyed by (hour, trace_id, span_id), and every
 * reader (cost queries, rollups) counts each span id once. Insert
 * deduplication tokens alone would not do: a redelivered span seldom arrives
 * in the same block as the first time (batches of other partitions, other
 * workers, a different fetch size), and a span an OTLP client re-sent after a
 * 503 is a different message altogether. One mechanism covers every path.
 *
 * Partitions are processed concurrently, and their spans meet in the store's
 * group-commit batcher, so one insert holds the messages of several
 * partitions: large blocks under load, a short time bound when idle.
 */
export class KafkaIngestWorker {
  private consumer: Consumer;
  private readonly deadLetters: ResilientProducer;
  private readonly log: Logger;
  private closing = false;
  private restartAttempts = 0;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: KafkaIngestWorkerOptions) {
    this.log = options.logger.child({ component: 'ingest-worker' });
    this.consumer = this.createConsumer();
    this.deadLetters = new ResilientProducer(options.kafka, this.log, () => options.metrics.producerReplacements.inc());
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.startConsumer();
  }

  /** Leaves the group after the batches in hand are stored and committed. */
  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
  }

  private createConsumer(): Consumer {
    const { kafka, config, metrics } = this.options;
    const sessionTimeout = this.options.sessionTimeoutMs ?? 10_000;
    const consumer = kafka.consumer({
      groupId: config.consumer_group,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
      maxBytesPerPartition: config.fetch_max_bytes_per_partition,
      maxBytes: config.fetch_max_bytes_per_partition * 4,
      maxWaitTimeInMs: 200,
      allowAutoTopicCreation: false,
    });
    // Partitions this member no longer owns must not keep reporting a lag.
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      metrics.consumerLag.reset();
      metrics.assignedPartitions.reset();
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
        metrics.assignedPartitions.set({ topic }, partitions.length);
      }
      this.log.info({ memberId: event.payload.memberId, assignment: event.payload.memberAssignment }, 'joined the ingest consumer group');
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart || consumer !== this.consumer || this.closing) return;
      this.log.error({ err: event.payload.error }, 'the Kafka consumer stopped on an error kafkajs does not restart after; this worker starts a new one');
      this.scheduleRestart();
    });
    return consumer;
  }

  private async startConsumer(): Promise<void> {
    const consumer = this.consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.config.topics.spans, this.options.config.topics.feedback], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.options.config.partitions, 8),
      eachBatch: (payload) => this.handleBatch(payload, consumer),
    });
  }

  /**
   * kafkajs restarts its consumer after most failures, but not after one it
   * calls non-retriable, such as KafkaJSGroupCoordinatorNotFound when the
   * broker stays away through all its retries: that consumer has left the
   * group and disconnected for good, and the worker would live on reading
   * nothing. So the worker starts a new consumer, which resumes from the
   * group's committed offsets, with backoff until one starts.
   */
  private scheduleRestart(): void {
    const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** this.restartAttempts);
    this.restartAttempts += 1;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (this.closing) return;
      const old = this.consumer;
      this.consumer = this.createConsumer();
      this.options.metrics.consumerRestarts.inc();
      void old.disconnect().catch(() => undefined);
      this.startConsumer().then(
        () => {
          this.restartAttempts = 0;
          this.log.info('a new Kafka consumer is running');
        },
        (error: unknown) => {
          if (this.closing) return;
          this.log.warn({ err: error }, 'the new Kafka consumer did not start; trying again');
          this.scheduleRestart();
        },
      );
    }, delay);
  }

  private async handleBatch(payload: EachBatchPayload, consumer: Consumer): Promise<void> {
    const { batch, resolveOffset, heartbeat, isRunning, isStale } = payload;
    if (batch.messages.length === 0 || !isRunning() || isStale()) return;
    const { metrics, config } = this.options;
    // Lag is the partition's end offset minus what is stored and committed:
    // while this batch is being stored, it is still lag.
    const lag = { topic: batch.topic, partition: String(batch.partition) };
    const end = BigInt(batch.highWatermark);
    metrics.consumerLag.set(lag, Number(end - BigInt(batch.firstOffset() ?? batch.lastOffset())));

    const isFeedback = batch.topic === config.topics.feedback;
    const decode: (value: Buffer | null) => Decoded<unknown> = isFeedback ? decodeFeedbackEnvelope : decodeSpanEnvelope;
    const items: unknown[] = [];
    const poison = [];
    for (const message of batch.messages) {
      const decoded = decode(message.value);
      if (decoded.ok) items.push(decoded.value);
      else poison.push(deadLetterMessage({ topic: batch.topic, partition: batch.partition, message }, decoded.error, new Date()));
    }
    if (poison.length > 0) {
      await this.deadLetters.send({ topic: config.topics.dead_letter, acks: -1, messages: poison });
      for (const message of poison) {
        const reason = String(message.headers?.[deadLetterHeaders.reason] ?? '');
        metrics.deadLetters.inc({ kind: deadLetterKind(reason) });
      }
      this.log.warn({ topic: batch.topic, partition: batch.partition, count: poison.length, first: poison[0]?.headers }, 'unreadable messages sent to the dead-letter topic');
    }

    // Keep the group membership alive while the store works.
    const beat = setInterval(() => void heartbeat().catch(() => undefined), 1_000);
    try {
      if (isFeedback) await this.options.feedbackStore.submit(items as Parameters<FeedbackSink['submit']>[0]);
      else await this.options.store.submit(items as Parameters<SpanSink['submit']>[0]);
    } finally {
      clearInterval(beat);
    }
    if (isFeedback) metrics.consumedFeedback.inc(items.length);
    else metrics.consumedSpans.inc(items.length);

    const last = batch.lastOffset();
    resolveOffset(last);
    try {
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
    } catch (error) {
      // Typically a rebalance took the partition away: its next owner reads
      // from the last committed offset and storage absorbs the repeat.
      metrics.commitFailures.inc();
      this.log.warn({ err: error, topic: batch.topic, partition: batch.partition, offset: last }, 'offset commit failed; these messages will be delivered again');
      return;
    }
    metrics.consumerLag.set(lag, Number(end - (BigInt(last) + 1n)));
  }
}
