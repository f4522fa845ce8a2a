import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { deadLetterKind, deadLetterMessage } from './dead-letter';

describe('dead letters', () => {
  it('keep the original key and bytes and say where they came from and why', () => {
    const message = { key: Buffer.from('trace-1'), value: Buffer.from('{oops'), offset: '41', timestamp: '0', attributes: 0, headers: {} } as KafkaMessage;
    const letter = deadLetterMessage({ topic: 'spanlens.spans', partition: 3, message }, 'not JSON: Unexpected token', new Date('2026-11-22T10:00:00Z'));
    expect(letter.key).toEqual(Buffer.from('trace-1'));
    expect(letter.value).toEqual(Buffer.from('{oops'));
    expect(letter.headers).toEqual({
      'spanlens.dlq.reason': 'not JSON: Unexpected token',
      'spanlens.dlq.topic': 'spanlens.spans',
      'spanlens.dlq.partition': '3',
      'spanlens.dlq.offset': '41',
      'spanlens.dlq.failed_at': '2026-11-22T10:00:00.000Z',
    });
  });

  it('label the metric with a bounded kind', () => {
    expect(deadLetterKind('unsupported schema_version 7: …')).toBe('unsupported_version');
    expect(deadLetterKind('invalid span: span.model: expected string')).toBe('invalid_span');
    expect(deadLetterKind('something new')).toBe('other');
  });
});
