// A publish whose answer is lost (the broker went down after writing it, or
// the connection broke) must not leave the producer's sequence numbers
// behind the broker's. A plain kafkajs idempotent producer gives the next
// batch the failed one's sequence numbers: the broker acknowledges a batch
// of the same size as a duplicate without writing it, and refuses every
// other batch for good. The collector's ResilientProducer moves to a new
// producer id instead. A proxy between client and broker loses the answer.
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '@spanlens/core';
import { isSequenceError, ResilientProducer } from '../collector/src/kafka/resilient-producer';
import { createTopic, freePorts, startKafkaBroker, type KafkaBroker } from './support/kafka-broker';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy';

let broker: KafkaBroker | undefined;
let proxy: TcpProxy | undefined;
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close().catch(() => undefined);
  await proxy?.close();
  await broker?.stop().catch(() => undefined);
  broker = undefined;
  proxy = undefined;
});

const topic = 'spans';
const batch = (...values: string[]) => ({ topic, acks: -1, messages: values.map((value) => ({ key: 'trace-1', value })) });
const failureOf = (sending: Promise<unknown>) => sending.then(() => undefined, (error: unknown) => error as Error);

let reader: Kafka;

async function setUp(): Promise<Kafka> {
  const [brokerPort, controllerPort, proxyPort] = (await freePorts(3)) as [number, number, number];
  proxy = await startTcpProxy(proxyPort, brokerPort);
  broker = await startKafkaBroker({ port: brokerPort, controllerPort, advertisedPort: proxyPort });
  // Quick retries (an idempotent producer needs some): while the proxy is dark, every one fails.
  const kafka = new Kafka({ clientId: 'lost-answer', brokers: broker.brokers, logLevel: logLevel.NOTHING, connectionTimeout: 3_000, retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 500 } });
  // Setting up and reading back get the usual patience: a fresh broker creates
  // its offsets topic on the first consumer group, slowly on a busy machine.
  reader = new Kafka({ clientId: 'reader', brokers: broker.brokers, logLevel: logLevel.NOTHING, retry: { retries: 10 } });
  await createTopic(reader, topic, 1);
  return kafka;
}

/** Every value the topic holds, in offset order. */
async function topicValues(): Promise<string[]> {
  const kafka = reader;
  const admin = kafka.admin();
  await admin.connect();
  const [end] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const high = Number(end?.high);
  const consumer = kafka.consumer({ groupId: `read-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  // By offset: a rebalance while joining may deliver a message twice.
  const byOffset = new Map<number, string>();
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${byOffset.size} of ${high} messages of ${topic} in 120 s`)), 120_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          byOffset.set(Number(message.offset), String(message.value));
          if (byOffset.size >= high) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return [...byOffset].sort(([a], [b]) => a - b).map(([, value]) => value);
}

describe('publishing after a lost answer', () => {
  it('a plain kafkajs producer acknowledges batches it never wrote and refuses others, for good', async () => {
    const kafka = await setUp();
    const plain: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    await plain.connect();
    closers.push(() => plain.disconnect());
    await plain.send(batch('a'));

    proxy!.goDarkAtNextResponse();
    expect(await failureOf(plain.send(batch('b')))).toBeInstanceOf(Error);
    proxy!.restore();
    // Acknowledged, but the broker took it for a resend of 'b' (same sequence numbers, same size).
    await plain.send(batch('c'));

    proxy!.goDarkAtNextResponse();
    expect(await failureOf(plain.send(batch('d')))).toBeInstanceOf(Error);
    proxy!.restore();
    // Same first sequence number as 'd', another size: refused, every time.
    expect(isSequenceError(await failureOf(plain.send(batch('e', 'f'))))).toBe(true);
    expect(isSequenceError(await failureOf(plain.send(batch('g', 'h'))))).toBe(true);
    // And a batch of the failed one's size is acknowledged as its resend again.
    await plain.send(batch('i'));
    expect(await topicValues()).toEqual(['a', 'b', 'd']);
  }, 180_000);

  it('the collector\'s producer loses nothing: failed batches are resent and the next ones are written', async () => {
    const kafka = await setUp();
    const producer = new ResilientProducer(kafka, createLogger({ level: 'silent' }));
    closers.push(() => producer.disconnect());
    await producer.send(batch('a'));

    proxy!.goDarkAtNextResponse();
    expect(await failureOf(producer.send(batch('b')))).toBeInstanceOf(Error);
    proxy!.restore();
    expect(producer.replaced).toBe(1);
    await producer.send(batch('c'));

    proxy!.goDarkAtNextResponse();
    expect(await failureOf(producer.send(batch('d')))).toBeInstanceOf(Error);
    proxy!.restore();
    expect(producer.replaced).toBe(2);
    await producer.send(batch('e', 'f'));
    await producer.send(batch('g', 'h'));
    await producer.send(batch('i'));
    // The client was told 'b' and 'd' failed and sends them again: at least
    // once, nothing missing (storage counts a span id once).
    await producer.send(batch('b'));
    await producer.send(batch('d'));
    expect(producer.replaced).toBe(2);
    expect(await topicValues()).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'b', 'd']);
  }, 180_000);
});
