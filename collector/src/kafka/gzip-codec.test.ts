import { gunzipSync, gzipSync } from 'node:zlib';
import { CompressionCodecs, CompressionTypes } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { GZIP_LEVEL, gzipCodec, useGzipCodec } from './gzip-codec';

describe('gzip codec', () => {
  it('is the codec kafkajs uses for gzip batches once installed', () => {
    useGzipCodec();
    expect(CompressionCodecs[CompressionTypes.GZIP]()).toBe(gzipCodec);
  });

  it('writes ordinary gzip at its level, which any reader inflates', async () => {
    const records = Buffer.from(
      Array.from({ length: 500 }, (_, i) => JSON.stringify({ schema_version: 1, span: { trace_id: i.toString(16).padStart(32, '0'), model: 'gpt-4o', input_tokens: i } })).join(''),
    );
    const packed = await gzipCodec.compress({ buffer: records });
    expect(packed.equals(gzipSync(records, { level: GZIP_LEVEL }))).toBe(true);
    // Not kafkajs's default level.
    expect(packed.equals(gzipSync(records))).toBe(false);
    expect(packed.length).toBeLessThan(records.length / 5);
    expect(gunzipSync(packed).equals(records)).toBe(true);
    // And it reads kafkajs's own (level 6) batches, from brokers or older collectors.
    expect((await gzipCodec.decompress(gzipSync(records))).equals(records)).toBe(true);
  });
});
