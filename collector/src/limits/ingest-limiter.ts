import type { LimitsConfig } from '@spanlens/core';
import { TokenBucket } from './token-bucket';

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number; reason: string };

/** Clients tracked before idle ones (full buckets) are forgotten; bounds memory under a spray of addresses. */
const sweepAt = 10_000;

/**
 * Per-client token buckets for requests and spans on the collector. A client
 * is an API key id, or the client's address when no keys exist, so one
 * flooding client is slowed while every other keeps its whole allowance.
 */
export class IngestLimiter {
  private readonly requests = new Map<string, TokenBucket>();
  private readonly spans = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: Pick<LimitsConfig, 'requests_per_second' | 'requests_burst' | 'spans_per_second' | 'spans_burst'>,
    private readonly clock: () => number = Date.now,
  ) {}

  /** One request from `client`; checked before its body is read. */
  admitRequest(client: string): Admission {
    const { requests_per_second: rate, requests_burst: burst } = this.limits;
    if (rate <= 0) return { ok: true };
    const taken = this.bucket(this.requests, client, rate, burst).take(1, this.clock());
    return taken.ok ? taken : { ok: false, retryAfterSeconds: taken.retryAfterSeconds, reason: `more than ${rate} requests per second` };
  }

  /** `count` spans from `client`; checked once the request is decoded. */
  admitSpans(client: string, count: number): Admission {
    const { spans_per_second: rate, spans_burst: burst } = this.limits;
    if (rate <= 0 || count === 0) return { ok: true };
    const taken = this.bucket(this.spans, client, rate, burst).take(count, this.clock());
    if (taken.ok) return taken;
    if (taken.retryAfterSeconds === Infinity) {
      return { ok: false, retryAfterSeconds: Math.ceil(burst / rate), reason: `${count} spans in one request is more than limits.spans_burst (${burst}); send smaller batches` };
    }
    return { ok: false, retryAfterSeconds: taken.retryAfterSeconds, reason: `more than ${rate} spans per second` };
  }

  private bucket(buckets: Map<string, TokenBucket>, client: string, rate: number, burst: number): TokenBucket {
    let bucket = buckets.get(client);
    if (!bucket) {
      if (buckets.size >= sweepAt) this.sweep(buckets);
      bucket = new TokenBucket(rate, burst, this.clock());
      buckets.set(client, bucket);
    }
    return bucket;
  }

  private sweep(buckets: Map<string, TokenBucket>): void {
    const now = this.clock();
    for (const [client, bucket] of buckets) if (bucket.isFull(now)) buckets.delete(client);
    // Every client busy at once: start afresh rather than grow without bound.
    if (buckets.size >= sweepAt) buckets.clear();
  }
}

/** `Retry-After` in whole seconds, at least 1. */
export function retryAfterHeader(seconds: number): string {
  return String(Math.max(1, Math.ceil(seconds)));
}
