import { createKafkaClient, createKafkaMetrics, ensureTopics, KafkaIngestWorker } from '@spanlens/collector';
import { configSchema, createLogger, encodeSpanEnvelope, type LlmSpan } from '@spanlens/core';
import { makeSpan } from '@spanlens/core/testing';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { testKafkaBrokers, uniqueTopicPrefix } from './support/kafka-broker';

/*
 * kafkajs restarts a crashed consumer only when it deems the error retriable.
 * After a non-retriable one (KafkaJSGroupCoordinatorNotFound when the broker
 * stays down through all retries, seen once in the outage test) its consumer
 * is gone for good. The ingest worker must then start a new one itself.
 * Here the store fails one batch with an error marked non-retriable, the way
 * kafkajs marks its own, which makes kafkajs give the consumer up the same way.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!().catch(() => undefined);
});

describe('an ingest worker whose consumer kafkajs gives up', () => {
  it('starts a new consumer, which stores every message from the committed offsets on', async () => {
    const prefix = uniqueTopicPrefix('consumer-restart');
    const config = configSchema.parse({
      kafka: {
        brokers: testKafkaBrokers(),
        topics: { spans: `${prefix}.spans`, feedback: `${prefix}.feedback`, dead_letter: `${prefix}.dead-letter` },
        partitions: 2,
        consumer_group: `${prefix}-ingest`,
      },
    }).kafka;
    const logger = createLogger({ level: 'silent' });
    const kafka = createKafkaClient(config, logger, 'test');
    await ensureTopics(kafka, config);

    const spans = Array.from({ length: 300 }, () => makeSpan({ feature: 'consumer-restart' }));
    const producer = kafka.producer();
    await producer.connect();
    closers.push(() => producer.disconnect());
    await producer.send({ topic: config.topics.spans, messages: spans.map((span) => ({ key: span.trace_id, value: encodeSpanEnvelope(span) })) });

    const stored = new Set<string>();
    let failures = 0;
    const registry = new Registry();
    const metrics = createKafkaMetrics(registry);
    const worker = new KafkaIngestWorker({
      kafka,
      config,
      metrics,
      logger,
      feedbackStore: { submit: async () => undefined },
      store: {
        hasCapacity: () => true,
        submit: async (batch: LlmSpan[]) => {
          if (failures === 0) {
            failures += 1;
            throw Object.assign(new Error('the store refused the batch'), { retriable: false });
          }
          for (const span of batch) stored.add(span.span_id);
        },
      },
    });
    closers.push(() => worker.close());
    await worker.start();

    await expect.poll(() => stored.size, { timeout: 45_000, interval: 100 }).toBe(spans.length);
    expect([...stored].sort()).toEqual(spans.map((span) => span.span_id).sort());
    expect(failures).toBe(1);
    const restarts = (await registry.getSingleMetric('spanlens_kafka_consumer_restarts_total')!.get()).values[0]!.value;
    expect(restarts).toBe(1);
  }, 90_000);
});
