import type { LlmSpan } from '@spanlens/core';

export interface BatcherOptions {
  /** Stores one batch; a rejection fails every request whose spans were in it. */
  write: (spans: LlmSpan[]) => Promise<void>;
  /** A batch closes when it holds this many spans… */
  maxSpans: number;
  /** …or this long after its first span arrived, or as soon as a write slot frees up. */
  maxWaitMs: number;
  /** Spans accepted but not yet written; `hasCapacity` says no beyond this. */
  maxPending: number;
  /** Writes running at once: while one is inside the database, the next can be encoded. */
  maxConcurrentWrites?: number;
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
 * Group commit: requests add their spans to the open batch and wait; every
 * waiting request is answered when the write of its batch completes. The open
 * batch closes when it is full, when it has waited `maxWaitMs`, or when a
 * write finishes while it holds spans — so under load each batch is whatever
 * arrived during the previous write (large batches, no idle timer in the way)
 * and when idle a request waits at most `maxWaitMs`.
 */
export class GroupCommitBatcher {
  private open: Batch = { spans: [], waiters: [] };
  private readonly ready: Batch[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly writes = new Set<Promise<void>>();
  private pendingSpans = 0;
  private closed = false;
  private readonly maxConcurrentWrites: number;

  constructor(private readonly options: BatcherOptions) {
    this.maxConcurrentWrites = options.maxConcurrentWrites ?? 2;
  }

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
    while (this.writes.size > 0) await Promise.all([...this.writes]);
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
    this.startWrites();
  }

  private startWrites(): void {
    while (this.writes.size < this.maxConcurrentWrites && this.ready.length > 0) {
      const batch = this.ready.shift() as Batch;
      const write: Promise<void> = this.write(batch).finally(() => {
        this.writes.delete(write);
        // Spans that arrived during this write have waited long enough.
        if (this.open.spans.length > 0) this.seal();
        else this.startWrites();
      });
      this.writes.add(write);
    }
  }

  private async write(batch: Batch): Promise<void> {
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
