import { describe, expect, it } from 'vitest';
import { FailedKeyLimiter } from './failed-key-limiter';

describe('FailedKeyLimiter', () => {
  it('lets a burst of 100 failures through, then 10 a second, even when guesses come 40 at a time', () => {
    let now = 0;
    const limiter = new FailedKeyLimiter(() => now);
    let admitted = 0;
    // 30 s of a guesser that sends 40 guesses at once whenever it is not blocked, checking every 50 ms.
    for (; now < 30_000; now += 50) {
      if (limiter.blockedForMs('guesser') > 0) continue;
      // All 40 pass the check before the first failure is counted, as concurrent requests do.
      admitted += 40;
      for (let i = 0; i < 40; i++) limiter.recordFailure('guesser');
    }
    // The burst, 10 a second for 30 s, and at most one batch in flight beyond that.
    expect(admitted).toBeLessThanOrEqual(100 + 10 * 30 + 40);
    expect(admitted).toBeGreaterThanOrEqual(100 + 10 * 30 - 40);
    // Another subject is not affected.
    expect(limiter.blockedForMs('someone else')).toBe(0);
  });

  it('unblocks once the time owed has passed', () => {
    let now = 0;
    const limiter = new FailedKeyLimiter(() => now);
    for (let i = 0; i < 105; i++) limiter.recordFailure('a');
    expect(limiter.blockedForMs('a')).toBeGreaterThan(0);
    // 105 failures at once: the 106th may come when 6 have been paid back, 10 a second.
    expect(limiter.blockedForMs('a')).toBe(600);
    now = 600;
    expect(limiter.blockedForMs('a')).toBe(0);
  });
});
