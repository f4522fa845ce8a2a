/**
 * A token bucket: holds up to `burst` tokens and refills at `ratePerSecond`.
 * Pure apart from the clock it is given, so its arithmetic is unit-tested.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.updatedAt = now;
  }

  /**
   * Takes `count` tokens if there are that many. Otherwise takes none and
   * returns the seconds until there will be (Infinity when `count` is more
   * than the bucket can ever hold).
   */
  take(count: number, now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill(now);
    if (count <= this.tokens) {
      this.tokens -= count;
      return { ok: true };
    }
    if (count > this.burst) return { ok: false, retryAfterSeconds: Infinity };
    return { ok: false, retryAfterSeconds: (count - this.tokens) / this.ratePerSecond };
  }

  /** Gives back tokens taken for work that was then not done (e.g. a request refused for its spans). */
  refund(count: number): void {
    this.tokens = Math.min(this.burst, this.tokens + count);
  }

  /** True when the bucket is full, i.e. its client has been idle long enough to be forgotten. */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.burst;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.ratePerSecond);
    this.updatedAt = now;
  }
}
