import { describe, expect, it } from 'vitest';
import { chunkByBytes } from './publish-chunks';

const message = (i: number, bytes: number) => ({ key: `k${i}`, value: 'x'.repeat(bytes) });

describe('chunkByBytes', () => {
  it('keeps every message, in order, in sends under the limit', () => {
    const messages = Array.from({ length: 1000 }, (_, i) => message(i, 1300 + (i % 7) * 50));
    const chunks = chunkByBytes(messages, 100_000);
    expect(chunks.flat()).toEqual(messages);
    for (const chunk of chunks) {
      const bytes = chunk.reduce((sum, m) => sum + m.value.length + m.key.length + 64, 0);
      expect(bytes).toBeLessThanOrEqual(100_000);
    }
    // 1000 messages of 1.3–1.6 kB with 64 B overhead each: about 15 sends, not one and not a thousand.
    expect(chunks.length).toBeGreaterThanOrEqual(14);
    expect(chunks.length).toBeLessThanOrEqual(17);
  });

  it('sends a message larger than the limit on its own rather than dropping it', () => {
    const chunks = chunkByBytes([message(1, 10), message(2, 500), message(3, 10)], 200);
    expect(chunks.map((chunk) => chunk.map((m) => m.key))).toEqual([['k1'], ['k2'], ['k3']]);
  });
});
