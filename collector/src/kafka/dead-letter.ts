import type { KafkaMessage, Message } from 'kafkajs';

/** Kafka headers a dead-lettered message carries, after Kafka Connect's `__connect.errors.*`. */
export const deadLetterHeaders = {
  reason: 'spanlens.dlq.reason',
  topic: 'spanlens.dlq.topic',
  partition: 'spanlens.dlq.partition',
  offset: 'spanlens.dlq.offset',
  failedAt: 'spanlens.dlq.failed_at',
} as const;

/**
 * The dead-letter copy of a message an ingest worker could not read: the
 * original key and bytes untouched, so it can be inspected or replayed, and
 * where it came from and why it was refused in headers.
 */
export function deadLetterMessage(source: { topic: string; partition: number; message: KafkaMessage }, reason: string, now: Date): Message {
  return {
    key: source.message.key,
    value: source.message.value,
    headers: {
      [deadLetterHeaders.reason]: reason,
      [deadLetterHeaders.topic]: source.topic,
      [deadLetterHeaders.partition]: String(source.partition),
      [deadLetterHeaders.offset]: source.message.offset,
      [deadLetterHeaders.failedAt]: now.toISOString(),
    },
  };
}

/** The metric label for a reason: its first words, a bounded set. */
export function deadLetterKind(reason: string): string {
  if (reason.startsWith('not JSON')) return 'not_json';
  if (reason.startsWith('unsupported schema_version')) return 'unsupported_version';
  if (reason.startsWith('invalid span')) return 'invalid_span';
  if (reason.startsWith('invalid feedback')) return 'invalid_feedback';
  if (reason.startsWith('empty message')) return 'empty';
  return 'other';
}
