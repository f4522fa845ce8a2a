import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket';
import { IngestLimiter } from './ingest-limiter';
import { jsonNestingExceeds } from './json-depth';

describe('TokenBucket', () => {
  it('allows a burst, then refills at its rate', () => {
    const bucket = new TokenBucket(10, 5, 0);
    for (let i = 0; i < 5; i++) expect(bucket.take(1, 0).ok).toBe(true);
    const refused = bucket.take(1, 0);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 0.1 });
    // 250 ms at 10 per second: 2.5 tokens back.
    expect(bucket.take(2, 250).ok).toBe(true);
    expect(bucket.take(1, 250).ok).toBe(false);
  });

  it('never holds more than its burst, and says so for a request larger than that', () => {
    const bucket = new TokenBucket(100, 50, 0);
    expect(bucket.take(51, 60_000)).toEqual({ ok: false, retryAfterSeconds: Infinity });
    expect(bucket.take(50, 60_000).ok).toBe(true);
  });
});

describe('IngestLimiter', () => {
  it('limits one client without touching another', () => {
    let now = 0;
    const limiter = new IngestLimiter({ requests_per_second: 2, requests_burst: 2, spans_per_second: 100, spans_burst: 100 }, () => now);
    expect(limiter.admitRequest('a').ok).toBe(true);
    expect(limiter.admitRequest('a').ok).toBe(true);
    const refused = limiter.admitRequest('a');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? 0 : refused.retryAfterSeconds).toBeCloseTo(0.5);
    expect(limiter.admitRequest('b').ok).toBe(true);
    now = 500;
    expect(limiter.admitRequest('a').ok).toBe(true);
  });

  it('counts spans, and refuses a single request larger than the span burst', () => {
    const limiter = new IngestLimiter({ requests_per_second: 0, requests_burst: 1, spans_per_second: 100, spans_burst: 100 }, () => 0);
    expect(limiter.admitSpans('a', 80).ok).toBe(true);
    expect(limiter.admitSpans('a', 30).ok).toBe(false);
    const tooBig = limiter.admitSpans('b', 101);
    expect(tooBig.ok).toBe(false);
    expect(tooBig.ok ? '' : tooBig.reason).toMatch(/spans_burst/);
  });

  it('does not limit at a rate of 0', () => {
    const limiter = new IngestLimiter({ requests_per_second: 0, requests_burst: 1, spans_per_second: 0, spans_burst: 1 }, () => 0);
    for (let i = 0; i < 100; i++) expect(limiter.admitRequest('a').ok && limiter.admitSpans('a', 1_000).ok).toBe(true);
  });
});

describe('jsonNestingExceeds', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    const exceeds = (text: string, limit: number) => jsonNestingExceeds(Buffer.from(text), limit);
    expect(exceeds('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(exceeds('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(exceeds('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false);
    expect(exceeds('{"é[":["ü"]}', 2)).toBe(false);
    expect(exceeds(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 64)).toBe(true);
  });
});
