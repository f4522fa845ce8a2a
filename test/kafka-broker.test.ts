// The real Kafka broker that the test suite runs (scripts/kafka.sh), checked
// with kafkajs: the shared broker, and a private one that is restarted.
import { Kafka, logLevel, Partitioners, type Consumer, type KafkaMessage } from 'kafkajs';
import { rm } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createTopic, startKafkaBroker, testKafkaBrokers, uniqueTopicPrefix, type KafkaBroker } from './support/kafka-broker';

function kafkaClient(brokers: string[], clientId: string): Kafka {
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.NOTHING,
    retry: { retries: 10, initialRetryTime: 200 },
  });
}

async function produce(kafka: Kafka, topic: string, messages: { key: string; value: string }[]): Promise<void> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  try {
    // Idempotent producers always use acks=-1 (all in-sync replicas).
    await producer.send({ topic, messages });
  } finally {
    await producer.disconnect();
  }
}

interface Received {
  partition: number;
  message: KafkaMessage;
}

/** Consumes `topic` from the beginning with a fresh group until `count` messages arrived. */
async function consume(kafka: Kafka, topic: string, groupId: string, count: number, timeoutMs = 60_000): Promise<Received[]> {
  const consumer: Consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
  const received: Received[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolveAll, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`received ${received.length} of ${count} messages from ${topic} in ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            received.push({ partition, message });
            if (received.length >= count) {
              clearTimeout(timer);
              resolveAll();
            }
          },
        })
        .catch((error: unknown) => {
          clearTimeout(timer);
          reject(error instanceof Error ? error : new Error(String(error)));
        });
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}

describe('the shared test Kafka broker', () => {
  it('round-trips 100 keyed messages through a 2-partition topic', async () => {
    const prefix = uniqueTopicPrefix('roundtrip');
    const topic = `${prefix}-spans`;
    const kafka = kafkaClient(testKafkaBrokers(), prefix);

    await createTopic(kafka, topic, 2);
    const sent = Array.from({ length: 100 }, (_, i) => ({ key: `trace-${i}`, value: `span-${i}` }));
    await produce(kafka, topic, sent);

    const received = await consume(kafka, topic, `${prefix}-group`, 100);
    const values = new Set(received.map((r) => r.message.value?.toString()));
    expect(values.size).toBe(100);
    expect(values).toEqual(new Set(sent.map((m) => m.value)));
    for (const { message } of received) {
      expect(message.key?.toString()).toBe(message.value?.toString().replace('span-', 'trace-'));
    }
    const partitions = new Set(received.map((r) => r.partition));
    expect([...partitions].sort()).toEqual([0, 1]);
  }, 120_000);
});

describe('a private Kafka broker', () => {
  let broker: KafkaBroker | undefined;

  afterAll(async () => {
    if (broker) {
      await broker.stop();
      await rm(broker.stateDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('keeps its messages across a stop and a start', async () => {
    broker = await startKafkaBroker();
    expect(broker.brokers).toEqual([`127.0.0.1:${broker.port}`]);
    const prefix = uniqueTopicPrefix('restart');
    const topic = `${prefix}-spans`;

    const before = kafkaClient(broker.brokers, `${prefix}-before`);
    await createTopic(before, topic, 2);
    const sent = Array.from({ length: 10 }, (_, i) => ({ key: `trace-${i}`, value: `span-${i}` }));
    await produce(before, topic, sent);

    await broker.stop();
    await broker.start();

    const after = kafkaClient(broker.brokers, `${prefix}-after`);
    const received = await consume(after, topic, `${prefix}-group`, 10);
    expect(new Set(received.map((r) => r.message.value?.toString()))).toEqual(new Set(sent.map((m) => m.value)));
    expect(received).toHaveLength(10);
  }, 180_000);
});
