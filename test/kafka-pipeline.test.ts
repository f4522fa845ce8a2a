import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { encodeSpanEnvelope } from '@spanlens/core';
import { makeSpan } from '@spanlens/core/testing';
import { usd } from './support/costs';
import { joinedGroup, kafkaSetup, llmCalls, metricValue, sendAll, startCollector, startIngestWorker, startStoreOwner, storeCensus, toRequests, waitForCalls } from './support/distributed';
import { testKafkaBrokers } from './support/kafka-broker';
import { killedAfterEach, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

// Collector → Kafka → ingest workers → ClickHouse (chDB), each a real process
// and a real broker. Every test checks the store itself (distinct span ids
// and cost, counted in a separate process) and the API (calls and cost).

const track = killedAfterEach();

describe('the distributed pipeline through a real Kafka broker', () => {
  it('stores exactly what was sent with two partitions and two ingest workers', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'steady');
    const dataDir = tempDataDir();
    const owner = await track(startStoreOwner({ dataDir, database: 'steady' }));
    const [collector, workerA, workerB] = await Promise.all([track(startCollector(kafka)), track(startIngestWorker(kafka, owner.url)), track(startIngestWorker(kafka, owner.url))]);
    const workload = llmCalls('steady', 3000, Date.now() - 600_000);
    // Each worker holds one of the two partitions before the load starts.
    await expect.poll(async () => [await joinedGroup(workerA, kafka), await joinedGroup(workerB, kafka)], { timeout: 60_000, interval: 250 }).toEqual([1, 1]);

    const sent = await sendAll(() => collector.url, toRequests(workload.spans, 100), { concurrency: 4, deadline: Date.now() + 60_000 });
    expect(sent.statuses.filter((status) => status !== 200)).toEqual([]);

    const row = await waitForCalls(owner.url, 'steady', 3000, 30_000);
    expect(row.calls).toBe(3000);
    expect(usd(row.cost_usd)).toBe(usd(workload.costUsd));
    // Both workers took a share: the two partitions were split between them.
    expect(await metricValue(workerA.url, 'spanlens_kafka_consumed_spans_total')).toBeGreaterThan(0);
    expect(await metricValue(workerB.url, 'spanlens_kafka_consumed_spans_total')).toBeGreaterThan(0);
    expect(await metricValue(collector.url, 'spanlens_kafka_published_spans_total')).toBe(3000);

    expect(await owner.interrupt()).toBe(0);
    const census = await storeCensus(dataDir, 'steady', 'steady');
    expect(census.spanIds).toEqual(workload.spanIds);
    expect(usd(census.costUsd)).toBe(usd(workload.costUsd));
  });

  it('publishes a request larger than the broker accepts in one message batch', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'large');
    const dataDir = tempDataDir();
    const owner = await track(startStoreOwner({ dataDir, database: 'large' }));
    const collector = await track(startCollector(kafka));
    await track(startIngestWorker(kafka, owner.url));
    // 2,500 spans of about 3 kB: 7 MB in one request, several times the
    // broker's 1 MiB limit per partition batch.
    const workload = llmCalls('large', 2500, Date.now() - 600_000, { extraAttributeChars: 2000 });
    const sent = await sendAll(() => collector.url, toRequests(workload.spans, 2500), { concurrency: 1, deadline: Date.now() + 60_000 });
    expect(sent.statuses).toEqual([200]);
    const row = await waitForCalls(owner.url, 'large', 2500, 30_000);
    expect(row.calls).toBe(2500);
    expect(usd(row.cost_usd)).toBe(usd(workload.costUsd));
  });

  it('counts nothing twice when the offsets are rewound and everything is delivered again', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'redelivery');
    const dataDir = tempDataDir();
    const owner = await track(startStoreOwner({ dataDir, database: 'redelivery' }));
    const collector = await track(startCollector(kafka));
    let worker = await track(startIngestWorker(kafka, owner.url));
    const workload = llmCalls('redelivery', 1000, Date.now() - 600_000);
    await sendAll(() => collector.url, toRequests(workload.spans, 100), { concurrency: 2, deadline: Date.now() + 60_000 });
    expect((await waitForCalls(owner.url, 'redelivery', 1000, 30_000)).calls).toBe(1000);

    // Rewind the group to the start of the topic: every message comes again.
    expect(await worker.interrupt()).toBe(0);
    const admin = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: kafka.group, topic: kafka.spansTopic, earliest: true });
    await admin.disconnect();
    worker = await track(startIngestWorker(kafka, owner.url));
    await expect.poll(() => metricValue(worker.url, 'spanlens_kafka_consumed_spans_total'), { timeout: 30_000, interval: 250 }).toBe(1000);

    const row = await waitForCalls(owner.url, 'redelivery', 1000, 1_000);
    expect(row.calls).toBe(1000);
    expect(usd(row.cost_usd)).toBe(usd(workload.costUsd));
    expect(await owner.interrupt()).toBe(0);
    const census = await storeCensus(dataDir, 'redelivery', 'redelivery');
    expect(census.spanIds).toEqual(workload.spanIds);
    expect(usd(census.costUsd)).toBe(usd(workload.costUsd));
  });

  it('stores the good messages around poison ones and dead-letters each bad one with its reason', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'poison');
    const dataDir = tempDataDir();
    const owner = await track(startStoreOwner({ dataDir, database: 'poison' }));
    const collector = await track(startCollector(kafka)); // creates the topics
    const client = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const producer = client.producer({ idempotent: true });
    await producer.connect();

    const good = Array.from({ length: 40 }, (_, i) => makeSpan({ feature: 'poison', cost_usd: 0.001 * (i + 1), start_time_ns: `${BigInt(Date.now() - 600_000) * 1_000_000n}` }));
    const wrongVersion = JSON.parse(encodeSpanEnvelope(makeSpan({ feature: 'poison' })));
    wrongVersion.schema_version = 99;
    const badTokens = JSON.parse(encodeSpanEnvelope(makeSpan({ feature: 'poison' })));
    badTokens.span.output_tokens = 'many';
    const poison = [
      { value: 'this is not json', reason: /^not JSON/ },
      { value: JSON.stringify(wrongVersion), reason: /^unsupported schema_version 99/ },
      { value: JSON.stringify(badTokens), reason: /^invalid span: span\.output_tokens/ },
      { value: '', reason: /^empty message/ },
    ];
    // Interleave them, on both partitions, among the good ones.
    const messages = good.map((span) => ({ key: span.trace_id, value: encodeSpanEnvelope(span) }));
    poison.forEach((bad, i) => messages.splice(i * 10 + 5, 0, { key: `poison-${i}`, value: bad.value }));
    await producer.send({ topic: kafka.spansTopic, messages });
    await producer.disconnect();

    const worker = await track(startIngestWorker(kafka, owner.url));
    const row = await waitForCalls(owner.url, 'poison', 40, 30_000);
    expect(row.calls).toBe(40);
    expect(usd(row.cost_usd)).toBe(usd(good.reduce((sum, span) => sum + (span.cost_usd ?? 0), 0)));

    const deadLetters = await readTopic(client, kafka.deadLetterTopic, poison.length);
    expect(deadLetters).toHaveLength(poison.length);
    for (const [i, bad] of poison.entries()) {
      const letter = deadLetters.find((message) => message.key?.toString() === `poison-${i}`);
      expect(letter, `dead letter for poison-${i}`).toBeDefined();
      expect(letter!.headers?.['spanlens.dlq.reason']?.toString()).toMatch(bad.reason);
      expect(letter!.headers?.['spanlens.dlq.topic']?.toString()).toBe(kafka.spansTopic);
      expect(letter!.value?.toString() ?? '').toBe(bad.value);
    }
    expect(await metricValue(worker.url, 'spanlens_kafka_dead_letters_total')).toBe(poison.length);
    // The partitions moved past the poison: nothing is left behind.
    await expect.poll(() => metricValue(worker.url, 'spanlens_kafka_consumer_lag'), { timeout: 10_000 }).toBe(0);
    expect(collector.url).toBeTruthy();
  });
});

async function readTopic(client: Kafka, topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = client.consumer({ groupId: `${topic}-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const messages: KafkaMessage[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${messages.length} of ${count} messages on ${topic}`)), 30_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
        if (messages.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  return messages;
}
