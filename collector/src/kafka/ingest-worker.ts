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
  private readonly consumer: Consumer;
  private readonly deadLetters: ResilientProducer;
  private readonly log: Logger;

  constructor(private readonly options: KafkaIngestWorkerOptions) {
    const { kafka, config } = options;
    const sessionTimeout = options.sessionTimeoutMs ?? 10_000;
    this.consumer = kafka.consumer({
      groupId: config.consumer_group,
      sessionTimeout,
      heartbeatInterval: Math.max(500, Math.floor(sessionTimeout / 10)),
      maxBytesPerPartition: config.fetch_max_bytes_per_partition,
      maxBytes: config.fetch_max_bytes_per_partition * 4,
      maxWaitTimeInMs: 200,
      allowAutoTopicCreation: false,
    });
    this.log = options.logger.child({ component: 'ingest-worker' });
    this.deadLetters = new ResilientProducer(kafka, this.log, () => options.metrics.producerReplacements.inc());
    // Partitions this member no longer owns must not keep reporting a lag.
    this.consumer.on(this.consumer.events.GROUP_JOIN, (event) => {
      options.metrics.consumerLag.reset();
      options.metrics.assignedPartitions.reset();
      for (const [topic, partitions] of Object.entries(event.payload.memberAssignment)) {
        options.metrics.assignedPartitions.set({ topic }, partitions.length);
      }
      this.log.info({ memberId: event.payload.memberId, assignment: event.payload.memberAssignment }, 'joined the ingest consumer group');
    });
  }

  async start(): Promise<void> {
    await this.deadLetters.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: [this.options.config.topics.spans, this.options.config.topics.feedback], fromBeginning: true });
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(this.options.config.partitions, 8),
      eachBatch: (payload) => this.handleBatch(payload),
    });
  }

  /** Leaves the group after the batches in hand are stored and committed. */
  async close(): Promise<void> {
    await this.consumer.disconnect();
    await this.deadLetters.disconnect();
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
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
      await this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last) + 1n).toString() }]);
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
