import { IngestLimiter } from '@spanlens/collector';

/**
 * Counts keys that failed verification, per subject (a client address, or
 * the key of a process asking the owner to verify keys for it). Each new
 * wrong key costs a slow hash; a subject gets a burst of 100, then 10 a
 * second, and is then refused unknown keys until its bucket refills.
 */
export class FailedKeyLimiter {
  private readonly failures: IngestLimiter;
  private readonly blockedUntil = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {
    this.failures = new IngestLimiter({ requests_per_second: 10, requests_burst: 100, spans_per_second: 0, spans_burst: 1 }, clock);
  }

  /** Milliseconds before `subject` may present an unknown key again; 0 when it may now. */
  blockedForMs(subject: string): number {
    const until = this.blockedUntil.get(subject);
    if (until === undefined) return 0;
    const left = until - this.clock();
    if (left > 0) return left;
    this.blockedUntil.delete(subject);
    return 0;
  }

  recordFailure(subject: string): void {
    const admitted = this.failures.admitRequest(subject);
    if (admitted.ok) return;
    // Bounds memory under a spray of addresses.
    if (this.blockedUntil.size > 10_000) this.blockedUntil.clear();
    this.blockedUntil.set(subject, this.clock() + admitted.retryAfterSeconds * 1000);
  }
}
