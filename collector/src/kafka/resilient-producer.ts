import type { Kafka, Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import type { Logger } from '@spanlens/core';
import { TraceKeyPartitioner } from './partitioner';

/**
 * Broker answers meaning the broker and an idempotent producer disagree on
 * the producer's sequence numbers: OUT_OF_ORDER_SEQUENCE_NUMBER (45),
 * INVALID_PRODUCER_EPOCH (47), UNKNOWN_PRODUCER_ID (59).
 */
const SEQUENCE_ERRORS = new Set([45, 47, 59]);

export function isSequenceError(error: unknown): boolean {
  for (let current = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; current && depth < 5; current = current.cause as typeof current, depth++) {
    if (typeof current.code === 'number' && SEQUENCE_ERRORS.has(current.code)) return true;
  }
  return false;
}

/**
 * An idempotent producer (acks=all, one request in flight) that never reuses
 * the sequence numbers of a send that failed.
 *
 * A send can fail after the broker wrote it: the broker went down before
 * answering, or the answer was lost. kafkajs then keeps the producer id and
 * sequence numbers it had, and gives the next batch the same sequence
 * numbers as the failed one. The broker takes that batch for a duplicate of
 * the failed one when it has as many messages (and acknowledges it without
 * writing it: a silent loss), and answers OUT_OF_ORDER_SEQUENCE_NUMBER to
 * every later send when it has not (kafkajs issue #598). The Java client
 * bumps the producer epoch in this case; kafkajs cannot, so after any failed
 * send this class publishes on a new producer with a new producer id.
 *
 * The failed send still fails: its messages may or may not have been
 * written, so the caller treats them as unacknowledged and sends them again,
 * which may duplicate them; Spanlens's storage counts each span id once.
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

  /** How many times the producer was replaced after a failed send. */
  get replaced(): number {
    return this.replacements;
  }

  connect(): Promise<void> {
    const producer = this.producer;
    this.connected ??= producer.connect().catch((error: unknown) => {
      if (this.producer === producer) this.connected = undefined;
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
      if (producer === this.producer && !this.closed) this.replace(error);
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
    // Sequence errors mean a batch was lost or refused earlier; an outage's failures are logged where they are handled.
    if (isSequenceError(error)) this.log.warn({ err: error }, 'the broker rejected this producer\'s sequence numbers; publishing continues on a new producer id');
    else this.log.debug({ err: error }, 'a send failed; publishing continues on a new producer id');
    void old.disconnect().catch(() => undefined);
  }

  private create(): Producer {
    // murmur2 of the key, as the Java client and kafkajs's default partitioner: a trace's spans share a partition.
    return this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: TraceKeyPartitioner });
  }
}
