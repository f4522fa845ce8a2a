import type { LlmSpan } from '@spanlens/core';

export interface BatcherOptions {
  /** Stores one batch; a rejection fails every request whose spans were in it. */
  write: (spans: LlmSpan[]) => Promise<void>;
  maxSpans: number;
  maxWaitMs: number;
  /** Spans accepted but not yet written; `hasCapacity` says no beyond this. */
  maxPending: number;
  onBatchWritten?: (info: { spans: number; seconds: number }) => void;
  onBatchFailed?: (info: { spans: number; error: unknown }) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Batch {
  spans: LlmSpan[];
  waiters: Waiter[];
}

/**
 * Group commit: requests add their spans to the open batch and wait; the batch
 * is written when it holds `maxSpans` spans or `maxWaitMs` after its first
 * span, and every waiting request is answered when its write completes. One
 * write runs at a time, so batches stay large under load and small when idle.
 */
export class GroupCommitBatcher {
  private open: Batch = { spans: [], waiters: [] };
  private ready: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private pendingSpans = 0;
  private closed = false;

  constructor(private readonly options: BatcherOptions) {}

  /** Spans waiting for or inside a write. */
  get pending(): number {
    return this.pendingSpans;
  }

  hasCapacity(spans: number): boolean {
    return !this.closed && this.pendingSpans + spans <= this.options.maxPending;
  }

  /** Resolves once every span given is stored. */
  submit(spans: LlmSpan[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the ingest batcher is shutting down'));
    if (spans.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.pendingSpans += spans.length;
      for (const span of spans) this.open.spans.push(span);
      this.open.waiters.push({ resolve, reject });
      if (this.open.spans.length >= this.options.maxSpans) {
        this.seal();
      } else if (!this.timer) {
        this.timer = setTimeout(() => this.seal(), this.options.maxWaitMs);
      }
    });
  }

  /** Writes everything accepted so far and refuses new spans. */
  async close(): Promise<void> {
    this.closed = true;
    this.seal();
    while (this.writing) await this.writing;
  }

  private seal(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.open.spans.length > 0) {
      this.ready.push(this.open);
      this.open = { spans: [], waiters: [] };
    }
    this.startDrain();
  }

  private startDrain(): void {
    if (this.writing || this.ready.length === 0) return;
    // A batch sealed after the loop below ended is picked up by the restart.
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      this.startDrain();
    });
  }

  private async drain(): Promise<void> {
    while (this.ready.length > 0) {
      // Batches sealed while a write was running are merged up to the size
      // limit, so a backlog is written in as few inserts as possible.
      const batch = this.ready.shift() as Batch;
      while (this.ready.length > 0 && batch.spans.length + (this.ready[0] as Batch).spans.length <= this.options.maxSpans * 2) {
        const next = this.ready.shift() as Batch;
        for (const span of next.spans) batch.spans.push(span);
        batch.waiters.push(...next.waiters);
      }
      const started = performance.now();
      try {
        await this.options.write(batch.spans);
        this.options.onBatchWritten?.({ spans: batch.spans.length, seconds: (performance.now() - started) / 1000 });
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        this.options.onBatchFailed?.({ spans: batch.spans.length, error });
        for (const waiter of batch.waiters) waiter.reject(error);
      } finally {
        this.pendingSpans -= batch.spans.length;
      }
    }
  }
}
