import { describe, expect, it } from 'vitest';
import { KafkaJSNonRetriableError, KafkaJSProtocolError, type Kafka, type Producer, type ProducerRecord } from 'kafkajs';
import { createLogger } from '@spanlens/core';
import { isSequenceError, ResilientProducer } from './resilient-producer';

/** What kafkajs raises for a broker's error code (its protocol/error.js table). */
const protocolError = (message: string, type: string, code: number, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(message), { type, code, retriable }));
const outOfOrder = () => protocolError('The broker received an out of order sequence number', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false);

/** A Kafka client whose producers answer each send with the next scripted outcome. */
function scriptedKafka(outcomes: Array<Error | 'ok'>) {
  const made: Array<{ sends: number; connects: number; disconnects: number }> = [];
  const kafka = {
    producer: () => {
      const record = { sends: 0, connects: 0, disconnects: 0 };
      made.push(record);
      return {
        connect: async () => void (record.connects += 1),
        disconnect: async () => void (record.disconnects += 1),
        send: async () => {
          record.sends += 1;
          const outcome = outcomes.shift();
          if (outcome instanceof Error) throw outcome;
          return [];
        },
      } as unknown as Producer;
    },
  } as unknown as Kafka;
  return { kafka, made };
}

const record: ProducerRecord = { topic: 't', acks: -1, messages: [{ key: 'k', value: 'v' }] };
const quiet = createLogger({ level: 'silent' });

describe('ResilientProducer', () => {
  it('fails the send that met a sequence error and sends the next one on a new producer', async () => {
    const { kafka, made } = scriptedKafka(['ok', outOfOrder(), 'ok']);
    let replaced = 0;
    const producer = new ResilientProducer(kafka, quiet, () => (replaced += 1));
    await producer.send(record);
    await expect(producer.send(record)).rejects.toThrow('out of order sequence number');
    await producer.send(record);
    expect(made.map((p) => p.sends)).toEqual([2, 1]);
    expect(made.map((p) => p.connects)).toEqual([1, 1]);
    expect(made[0]?.disconnects).toBe(1);
    expect(replaced).toBe(1);
    expect(producer.replaced).toBe(1);
  });

  it('also takes a new producer after a send that failed for any other reason, such as a broker that went away', async () => {
    const { kafka, made } = scriptedKafka([new KafkaJSNonRetriableError('Connection error: connect ECONNREFUSED'), 'ok', 'ok']);
    const producer = new ResilientProducer(kafka, quiet);
    await expect(producer.send(record)).rejects.toThrow('ECONNREFUSED');
    await producer.send(record);
    await producer.send(record);
    expect(made.map((p) => p.sends)).toEqual([1, 2]);
    expect(producer.replaced).toBe(1);
  });

  it('recognises the sequence errors kafkajs reports, also when wrapped', () => {
    expect(isSequenceError(outOfOrder())).toBe(true);
    expect(isSequenceError(protocolError('unknown producer', 'UNKNOWN_PRODUCER_ID', 59, false))).toBe(true);
    expect(isSequenceError(Object.assign(new KafkaJSNonRetriableError('retries exhausted'), { cause: outOfOrder() }))).toBe(true);
    expect(isSequenceError(protocolError('not leader', 'NOT_LEADER_FOR_PARTITION', 6, true))).toBe(false);
    expect(isSequenceError(new Error('plain'))).toBe(false);
  });
});
