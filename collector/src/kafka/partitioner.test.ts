import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { murmur2, TraceKeyPartitioner } from './partitioner';

// kafkajs's own Long-based murmur2, which its DefaultPartitioner uses: the reference.
const kafkajsMurmur2 = createRequire(import.meta.url)('kafkajs/src/producer/partitioners/default/murmur2.js') as (key: string | Buffer) => number;

function metadata(count: number): PartitionMetadata[] {
  return Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
}

/** Text mixing ASCII with characters of every UTF-8 width, and now and then a lone surrogate. */
function randomText(length: number): string {
  const pieces = ['a', 'Z', '0', '-', 'é', 'ß', '中', '🙂', '\u0000', '\ud800', '\udfff'];
  let text = '';
  for (let i = 0; i < length; i++) text += pieces[Math.floor(Math.random() * pieces.length)];
  return text;
}

describe('murmur2', () => {
  it("gives the Java client's values (Kafka's UtilsTest vectors)", () => {
    expect(murmur2('21')).toBe(-973932308);
    expect(murmur2('foobar')).toBe(-790332482);
    expect(murmur2('a-little-bit-long-string')).toBe(-985981536);
    expect(murmur2('a-little-bit-longer-string')).toBe(-1486304829);
    expect(murmur2('lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8')).toBe(-58897971);
    expect(murmur2(Buffer.from('abc'))).toBe(479470107);
  });

  it("equals kafkajs's murmur2 on trace ids, random bytes and text of every UTF-8 width, at every length mod 4", () => {
    for (let i = 0; i < 2_000; i++) {
      const traceId = randomBytes(16).toString('hex');
      expect(murmur2(traceId)).toBe(kafkajsMurmur2(traceId));
      const bytes = randomBytes(i % 41);
      expect(murmur2(bytes)).toBe(kafkajsMurmur2(bytes));
      const text = randomText(i % 23);
      expect(murmur2(text)).toBe(kafkajsMurmur2(text));
    }
    expect(murmur2('')).toBe(kafkajsMurmur2(''));
  });
});

describe('TraceKeyPartitioner', () => {
  it("puts every keyed message on the partition kafkajs's DefaultPartitioner chooses", () => {
    for (const count of [1, 2, 3, 7, 12]) {
      const ours = TraceKeyPartitioner();
      const theirs = Partitioners.DefaultPartitioner();
      const partitionMetadata = metadata(count);
      for (let i = 0; i < 500; i++) {
        const key = i % 3 === 0 ? randomBytes(i % 30) : i % 3 === 1 ? randomBytes(16).toString('hex') : randomText(i % 17);
        const message = { key, value: 'v' };
        expect(ours({ topic: 't', partitionMetadata, message })).toBe(theirs({ topic: 't', partitionMetadata, message }));
      }
    }
  });

  it('keeps a trace on one partition and spreads traces over all of them', () => {
    const partition = TraceKeyPartitioner();
    const partitionMetadata = metadata(4);
    const seen = new Map<number, number>();
    for (let i = 0; i < 4_000; i++) {
      const key = randomBytes(16).toString('hex');
      const chosen = partition({ topic: 't', partitionMetadata, message: { key, value: '1' } });
      expect(partition({ topic: 't', partitionMetadata, message: { key, value: '2' } })).toBe(chosen);
      seen.set(chosen, (seen.get(chosen) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual([0, 1, 2, 3]);
    for (const n of seen.values()) expect(n).toBeGreaterThan(800);
  });

  it('honours an explicit partition, and spreads unkeyed messages round robin', () => {
    const partition = TraceKeyPartitioner();
    const partitionMetadata = metadata(3);
    expect(partition({ topic: 't', partitionMetadata, message: { key: 'abc', value: 'v', partition: 2 } })).toBe(2);
    const unkeyed = Array.from({ length: 6 }, () => partition({ topic: 't', partitionMetadata, message: { value: 'v' } }));
    expect(new Set(unkeyed)).toEqual(new Set([0, 1, 2]));
    for (let i = 1; i < unkeyed.length; i++) expect(unkeyed[i]).toBe((unkeyed[i - 1]! + 1) % 3);
  });
});
