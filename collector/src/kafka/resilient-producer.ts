import { Partitioners, type Kafka, type Producer, type ProducerRecord, type RecordMetadata } from 'kafkajs';
import type { Logger } from '@spanlens/core';

/**
 * Broker answers after which an idempotent producer's sequence numbers no
 * longer match the broker's: OUT_OF_ORDER_SEQUENCE_NUMBER (45),
 * INVALID_PRODUCER_EPOCH (47), UNKNOWN_PRODUCER_ID (59). They follow a broker
 * restart or failover with a produce in flight. kafkajs keeps the same
 * producer id and sequence afterwards, so every later send fails the same way
 * (kafkajs issue #598); the Java client bumps the epoch instead.
 */
const SEQUENCE_ERRORS = new Set([45, 47, 59]);

export function isSequenceError(error: unknown): boolean {
  for (let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; current = current.cause as typeof current, depth++) {
    if (typeof current.code === 'number' && SEQUENCE_ERRORS.has(current.code)) return true;
  }
  return false;
}

/**
 * An idempotent producer (acks=all, one request in flight) that survives a
 * broker losing track of it: after a sequence error the failed send still
 * fails (its messages may or may not have been written, so the caller must
 * treat them as unacknowledged and resend), and the next send goes out on a
 * new producer with a new producer id. A resend after such an error can
 * duplicate messages; Spanlens's storage counts each span id once.
 */
export class ResilientProducer {
  private producer: Producer;
  private connected: Promise<void> | undefined;
  private closed = false;
  private replacements = 0;

  constructor(
    private readonly kafka: Kafka,
    private readonly log: Logger,
    private readonly onReplaced: () => void = () => undefined,
  ) {
    this.producer = this.create();
  }

  /** How many times the producer was replaced after a sequence error. */
  get replaced(): number {
    return this.replacements;
  }

  connect(): Promise<void> {
    this.connected ??= this.producer.connect().catch((error: unknown) => {
      this.connected = undefined;
      throw error;
    });
    return this.connected;
  }

  async send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const producer = this.producer;
    await this.connect();
    try {
      return await producer.send(record);
    } catch (error) {
      if (isSequenceError(error) && producer === this.producer && !this.closed) this.replace(error);
      throw error;
    }
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    await this.producer.disconnect();
  }

  private replace(error: unknown): void {
    const old = this.producer;
    this.producer = this.create();
    this.connected = undefined;
    this.replacements += 1;
    this.onReplaced();
    this.log.warn({ err: error }, 'the broker no longer accepts this producer\'s sequence numbers; this publish failed and the next goes out on a new producer id');
    void old.disconnect().catch(() => undefined);
  }

  private create(): Producer {
    // The default partitioner (murmur2 of the key, as the Java client) keeps a trace's spans on one partition.
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  }
}
