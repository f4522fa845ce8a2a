import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';

/*
 * patches/kafkajs@2.2.4.patch rewrites how kafkajs encodes the records of a
 * produce request (one exact-size buffer per plain record, record buffers
 * joined once before compression) and how it groups messages by partition.
 * The bytes on the wire must stay exactly Kafka's record format: checked here
 * against bytes worked out by hand from the protocol's definition, and by
 * reading whole batches back with kafkajs's own decoder. The Kafka
 * integration tests then publish through it to a real broker, which checks
 * every batch's CRC and layout.
 */

const kafkajsRequire = createRequire(createRequire(import.meta.url).resolve('kafkajs'));
type Encoded = { buffer: Buffer; size(): number };
const Record = kafkajsRequire('./src/protocol/recordBatch/record/v0/index.js') as (record: {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: string | Buffer | null;
  value?: string | Buffer | null;
  headers?: Record<string, string | Buffer>;
}) => Encoded;
const { RecordBatch } = kafkajsRequire('./src/protocol/recordBatch/v0/index.js') as {
  RecordBatch: (batch: { compression: number; records: Encoded[]; firstTimestamp: number; maxTimestamp: number; lastOffsetDelta: number }) => Promise<Encoded>;
};
const decodeBatch = kafkajsRequire('./src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<{
  records: Array<{ key: Buffer | null; value: Buffer | null; offset: string; timestamp: string; headers: Record<string, Buffer> }>;
}>;
const Decoder = kafkajsRequire('./src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const groupMessagesPerPartition = kafkajsRequire('./src/producer/groupMessagesPerPartition.js') as (args: {
  topic: string;
  partitionMetadata: Array<{ partitionId: number }>;
  messages: Array<{ key: string; value: string }>;
  partitioner: (args: { message: { key: string } }) => number;
}) => Record<string, Array<{ key: string; value: string }>>;

const hex = (bytes: Buffer) => bytes.toString('hex').replace(/(..)/g, '$1 ').trim();

describe('kafkajs record encoding (patched)', () => {
  it('writes the bytes of the Kafka record format, worked out by hand', () => {
    // length 8 (zigzag 16 = 0x10), attributes 0, timestamp delta 0, offset delta 0,
    // key of 1 byte (zigzag 2) "k", value of 1 byte "v", no headers.
    expect(hex(Record({ key: 'k', value: 'v' }).buffer)).toBe('10 00 00 00 02 6b 02 76 00');
    // Body 1+1+2+1+2+1 = 8 bytes: a null key is length -1 (zigzag 1), timestamp delta -1 is zigzag 1, offset delta 70 is zigzag 140 = 8c 01.
    expect(hex(Record({ key: null, value: 'v', timestampDelta: -1, offsetDelta: 70 }).buffer)).toBe('10 00 01 8c 01 01 02 76 00');
    // A 200-byte value: length zigzag 400 = 90 03; body 1+1+1+1+2+200+1 = 207, zigzag 414 = 9e 03.
    const value = Buffer.alloc(200, 0x61);
    expect(hex(Record({ key: null, value }).buffer)).toBe(`9e 03 00 00 00 01 90 03 ${hex(value)} 00`);
    // UTF-8 length, not string length: "é🙂" is 2 + 4 bytes; body 1+1+1+1+1+6+1 = 12, zigzag 24.
    expect(hex(Record({ key: '', value: 'é🙂' }).buffer)).toBe('18 00 00 00 00 0c c3 a9 f0 9f 99 82 00');
    // Headers take kafkajs's general path: one header "h" = "1".
    expect(hex(Record({ key: 'k', value: 'v', headers: { h: '1' } }).buffer)).toBe('18 00 00 00 02 6b 02 76 02 02 68 02 31');
  });

  it('reads back through kafkajs own decoder, compressed or not, for every kind of key and value', async () => {
    const text = () => Array.from({ length: Math.floor(Math.random() * 40) }, () => ['a', 'é', '中', '🙂', '\u0000'][Math.floor(Math.random() * 5)]).join('');
    const messages = Array.from({ length: 600 }, (_, i) => {
      const kind = i % 4;
      const key = kind === 0 ? null : kind === 1 ? randomBytes(16).toString('hex') : kind === 2 ? randomBytes(i % 9) : text();
      const value = kind === 0 ? text() : kind === 1 ? `{"schema_version":1,"n":${i},"t":"${text()}"}` : kind === 2 ? randomBytes(i * 7) : i % 8 === 3 ? null : text();
      const headers: Record<string, string> = i % 50 === 0 ? { reason: `r${i}` } : {};
      return { key, value, headers, timestampDelta: (i % 7) - 3 };
    });
    const firstTimestamp = 1_795_000_000_000;
    for (const compression of [CompressionTypes.None, CompressionTypes.GZIP]) {
      const records = messages.map((message, offsetDelta) => Record({ ...message, offsetDelta }));
      const batch = await RecordBatch({ compression, records, firstTimestamp, maxTimestamp: firstTimestamp + 3, lastOffsetDelta: records.length - 1 });
      const decoded = await decodeBatch(new Decoder(batch.buffer));
      expect(decoded.records).toHaveLength(messages.length);
      decoded.records.forEach((record, i) => {
        const sent = messages[i]!;
        const bytes = (field: string | Buffer | null) => (field === null ? null : Buffer.from(field));
        expect(record.key).toEqual(bytes(sent.key));
        expect(record.value).toEqual(bytes(sent.value));
        expect(record.offset).toBe(String(i));
        expect(record.timestamp).toBe(String(firstTimestamp + sent.timestampDelta));
        expect(Object.fromEntries(Object.entries(record.headers).map(([k, v]) => [k, v.toString()]))).toEqual(sent.headers);
      });
    }
  });

  it('groups messages by partition in their order', () => {
    const messages = Array.from({ length: 5_000 }, (_, i) => ({ key: String(i), value: `v${i}` }));
    const grouped = groupMessagesPerPartition({
      topic: 't',
      partitionMetadata: [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }],
      messages,
      partitioner: ({ message }) => Number(message.key) % 3,
    });
    expect(Object.keys(grouped).sort()).toEqual(['0', '1', '2']);
    for (const partition of [0, 1, 2]) {
      expect(grouped[partition]).toEqual(messages.filter((_, i) => i % 3 === partition));
    }
    expect(groupMessagesPerPartition({ topic: 't', partitionMetadata: [], messages, partitioner: () => 0 })).toEqual({});
  });
});
