import type { Kafka } from 'kafkajs';
import type { KafkaConfig } from '@spanlens/core';

/**
 * Creates the spans, feedback and dead-letter topics when they do not exist.
 * Safe to run from every process at start: creating an existing topic is a
 * no-op, and partitions are never changed behind an operator's back.
 */
export async function ensureTopics(kafka: Kafka, config: KafkaConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const wanted = [config.topics.spans, config.topics.feedback, config.topics.dead_letter].filter((topic) => !existing.has(topic));
    if (wanted.length === 0) return;
    await admin.createTopics({
      waitForLeaders: true,
      topics: wanted.map((topic) => ({
        topic,
        numPartitions: config.partitions,
        replicationFactor: config.replication_factor,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}
