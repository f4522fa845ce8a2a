import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Metrics of the Kafka path: the collector's publishing and the ingest workers' consuming. */
export function createKafkaMetrics(registry: Registry) {
  const registers = [registry];
  return {
    publishedSpans: new Counter({ name: 'spanlens_kafka_published_spans_total', help: 'Spans Kafka acknowledged (acks=all)', registers }),
    publishSeconds: new Histogram({ name: 'spanlens_kafka_publish_seconds', help: 'Time for Kafka to acknowledge one publish batch', buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers }),
    publishFailures: new Counter({ name: 'spanlens_kafka_publish_failures_total', help: 'Publish batches Kafka did not acknowledge', registers }),
    consumedSpans: new Counter({ name: 'spanlens_kafka_consumed_spans_total', help: 'Spans an ingest worker stored and committed', registers }),
    consumedFeedback: new Counter({ name: 'spanlens_kafka_consumed_feedback_total', help: 'Feedback items an ingest worker stored and committed', registers }),
    deadLetters: new Counter({ name: 'spanlens_kafka_dead_letters_total', help: 'Messages sent to the dead-letter topic, by kind of problem', labelNames: ['kind'], registers }),
    producerReplacements: new Counter({ name: 'spanlens_kafka_producer_replacements_total', help: 'Idempotent producers replaced after a failed publish, so that no later batch reuses the failed one\'s sequence numbers', registers }),
    consumerRestarts: new Counter({ name: 'spanlens_kafka_consumer_restarts_total', help: 'Consumers an ingest worker started anew after kafkajs gave one up on an error it does not retry', registers }),
    commitFailures: new Counter({ name: 'spanlens_kafka_commit_failures_total', help: 'Offset commits that failed (the messages will be delivered again and deduplicated)', registers }),
    assignedPartitions: new Gauge({ name: 'spanlens_kafka_assigned_partitions', help: 'Partitions the consumer group gave this worker at its last join, by topic', labelNames: ['topic'], registers }),
    consumerLag: new Gauge({ name: 'spanlens_kafka_consumer_lag', help: 'Messages of a partition this worker owns that are not yet stored and committed: the end offset it last saw minus its committed offset', labelNames: ['topic', 'partition'], registers }),
  };
}

export type KafkaMetrics = ReturnType<typeof createKafkaMetrics>;
