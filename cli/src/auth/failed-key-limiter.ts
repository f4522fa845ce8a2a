/** Failures a subject may make at once before it is refused, and how fast that allowance comes back. */
const BURST = 100;
const MS_PER_FAILURE = 100;

/**
 * Counts keys that failed verification, per subject (a client address, or
 * the key of a process asking the owner to verify keys for it). Each new
 * wrong key costs a slow hash; a subject gets a burst of 100, then 10 a
 * second, and is then refused unknown keys until its allowance is back.
 *
 * A generic cell rate algorithm: each failure moves the subject's
 * theoretical time forward by 100 ms, and the subject is blocked while that
 * time is more than the burst ahead of the clock. Failures beyond the
 * allowance are owed, not forgotten: guesses sent concurrently all pass the
 * check before the first is counted, and must not buy a fresh batch each
 * time the block runs out.
 */
export class FailedKeyLimiter {
  private readonly theoretical = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** Milliseconds before `subject` may present an unknown key again; 0 when it may now. */
  blockedForMs(subject: string): number {
    const at = this.theoretical.get(subject);
    if (at === undefined) return 0;
    const now = this.clock();
    if (at <= now) {
      this.theoretical.delete(subject);
      return 0;
    }
    return Math.max(0, at - now - (BURST - 1) * MS_PER_FAILURE);
  }

  recordFailure(subject: string): void {
    const now = this.clock();
    // Bounds memory under a spray of addresses.
    if (this.theoretical.size > 10_000) this.theoretical.clear();
    this.theoretical.set(subject, Math.max(this.theoretical.get(subject) ?? now, now) + MS_PER_FAILURE);
  }
}
