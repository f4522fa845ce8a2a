import type { LlmSpan } from '@spanlens/core';
import { describe, expect, it } from 'vitest';
import { GroupCommitBatcher } from './batcher';

const spans = (n: number, tag: string): LlmSpan[] => Array.from({ length: n }, (_, i) => ({ span_name: `${tag}-${i}` }) as LlmSpan);

describe('GroupCommitBatcher', () => {
  it('writes one batch when it fills, and answers each request after its write', async () => {
    const writes: string[][] = [];
    const batcher = new GroupCommitBatcher({
      write: async (batch) => void writes.push(batch.map((s) => s.span_name)),
      maxSpans: 4,
      maxWaitMs: 10_000,
      maxPending: 100,
    });
    await Promise.all([batcher.submit(spans(2, 'a')), batcher.submit(spans(2, 'b'))]);
    expect(writes).toEqual([['a-0', 'a-1', 'b-0', 'b-1']]);
    expect(batcher.pending).toBe(0);
  });

  it('writes a partial batch after maxWaitMs', async () => {
    const writes: number[] = [];
    const batcher = new GroupCommitBatcher({ write: async (b) => void writes.push(b.length), maxSpans: 1000, maxWaitMs: 20, maxPending: 5000 });
    const started = Date.now();
    await batcher.submit(spans(3, 'a'));
    expect(writes).toEqual([3]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('fails only the requests of a failed batch, and keeps going', async () => {
    let calls = 0;
    const batcher = new GroupCommitBatcher({
      write: async () => {
        calls += 1;
        if (calls === 1) throw new Error('disk full');
      },
      maxSpans: 2,
      maxWaitMs: 5,
      maxPending: 100,
    });
    await expect(batcher.submit(spans(2, 'a'))).rejects.toThrow('disk full');
    await expect(batcher.submit(spans(2, 'b'))).resolves.toBeUndefined();
    expect(batcher.pending).toBe(0);
  });

  it('reports no capacity past maxPending, and flushes everything on close', async () => {
    const releases: Array<() => void> = [];
    const written: number[] = [];
    const batcher = new GroupCommitBatcher({
      write: (b) => new Promise<void>((resolve) => releases.push(() => { written.push(b.length); resolve(); })),
      maxSpans: 10,
      maxWaitMs: 1,
      maxPending: 15,
      maxConcurrentWrites: 1,
    });
    const first = batcher.submit(spans(10, 'a'));
    const second = batcher.submit(spans(5, 'b'));
    expect(batcher.hasCapacity(1)).toBe(false);
    const closing = batcher.close();
    await expect(batcher.submit(spans(1, 'c'))).rejects.toThrow(/shutting down/);
    while (written.length < 2) {
      releases.shift()?.();
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all([first, second, closing]);
    expect(written).toEqual([10, 5]);
  });

  it('under load, writes what arrived during the previous write as soon as it ends, two writes at a time', async () => {
    const releases: Array<() => void> = [];
    const sizes: number[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const batcher = new GroupCommitBatcher({
      write: (b) => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        sizes.push(b.length);
        return new Promise<void>((resolve) => releases.push(() => { inFlight -= 1; resolve(); }));
      },
      maxSpans: 100,
      maxWaitMs: 60_000,
      maxPending: 10_000,
      maxConcurrentWrites: 2,
    });
    const all = [batcher.submit(spans(100, 'a')), batcher.submit(spans(100, 'b'))];
    expect(sizes).toEqual([100, 100]);
    // Both write slots are busy: these wait, although the timer is a minute away.
    all.push(batcher.submit(spans(3, 'c')), batcher.submit(spans(4, 'd')));
    expect(sizes).toEqual([100, 100]);
    releases.shift()?.();
    await new Promise((r) => setTimeout(r, 5));
    expect(sizes).toEqual([100, 100, 7]);
    while (releases.length > 0) releases.shift()?.();
    await Promise.all(all);
    expect(maxInFlight).toBe(2);
  });

  it('closes at once when nothing is pending, and after a quiet period', async () => {
    const batcher = new GroupCommitBatcher({ write: async () => {}, maxSpans: 10, maxWaitMs: 1, maxPending: 100 });
    await batcher.close();
    const other = new GroupCommitBatcher({ write: async () => {}, maxSpans: 10, maxWaitMs: 1, maxPending: 100 });
    await other.submit(spans(3, 'a'));
    await other.close();
    expect(other.pending).toBe(0);
  });
});
