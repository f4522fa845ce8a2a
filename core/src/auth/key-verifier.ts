import { createHash } from 'node:crypto';
import { Periodic } from '../util/periodic';
import { hashSecret, parseApiKey, presentedKeyDigest, secretMatches, type KeyScope } from './api-key';
import type { ApiKeyRecord } from './key-store';

export type Verification = { ok: true; id: string; scope: KeyScope } | { ok: false };

export interface ApiKeyVerifierOptions {
  /** Reads the key table (from the store, or from whoever holds it). */
  load: () => Promise<ApiKeyRecord[]>;
  /** How often the table is read again, so a key revoked elsewhere stops working within this long. */
  reloadIntervalMs?: number;
  /** Called when a reload fails; the last table read stays in force. */
  onReloadError?: (error: unknown) => void;
}

/** Entries kept in the verification cache before it is emptied (bounds memory under a flood of bad keys). */
const maxCached = 10_000;
/** Hashed for malformed keys and unknown ids, so their refusal takes as long as a wrong secret's. */
const decoySalt = '00'.repeat(16);

/**
 * Answers "is this presented key valid, and for which scope?". The slow hash
 * is computed once per presented key and process: the outcome is cached by a
 * SHA-256 of the key, together with the stored hash it was checked against,
 * so a cached success holds only while the key's record is unchanged and
 * unrevoked. The table itself is re-read every couple of seconds, and
 * replaced at once by `apply` in the process that changed it.
 */
export class ApiKeyVerifier {
  private records = new Map<string, ApiKeyRecord>();
  private tableRevision = tableRevisionOf([]);
  private readonly cache = new Map<string, { id: string; hash: string; ok: boolean }>();
  private readonly lastUsed = new Map<string, number>();
  private loadedOnce = false;
  private readonly reloading: Periodic;

  constructor(private readonly options: ApiKeyVerifierOptions) {
    this.reloading = new Periodic(async () => this.apply(await options.load()), options.reloadIntervalMs ?? 2_000, options.onReloadError);
  }

  /** Reads the table once (failing loudly), then keeps it fresh. */
  async start(): Promise<void> {
    this.apply(await this.options.load());
    this.reloading.start();
  }

  /** Stops reloading, and waits for a reload in flight (see Periodic). */
  async stop(): Promise<void> {
    await this.reloading.stop();
  }

  /** Reads the table now; a failure goes to onReloadError and the last table read stays in force. */
  async reload(): Promise<void> {
    await this.reloading.run();
  }

  /** Replaces the table, e.g. right after this process created or revoked a key. */
  apply(records: readonly ApiKeyRecord[]): void {
    this.records = new Map(records.map((record) => [record.id, record]));
    this.tableRevision = tableRevisionOf(records);
    this.loadedOnce = true;
  }

  /**
   * Changes whenever a key is created, revoked or changes scope: processes
   * that ask this one to verify keys keep their answers only while it holds.
   */
  get revision(): string {
    return this.tableRevision;
  }

  /**
   * True once any key was ever created, revoked ones included: revoking the
   * last key must not silently open every route again.
   */
  get enforcing(): boolean {
    return this.loadedOnce && this.records.size > 0;
  }

  /** When each key was last accepted by this process (ms since the epoch). */
  lastUsedAt(id: string): number | undefined {
    return this.lastUsed.get(id);
  }

  /** True when `presented` was verified before and its outcome still holds: no hashing needed. */
  isCached(presented: string): boolean {
    return this.cache.has(presentedKeyDigest(presented));
  }

  async verify(presented: string): Promise<Verification> {
    const digest = presentedKeyDigest(presented);
    const parsed = parseApiKey(presented);
    const record = parsed ? this.records.get(parsed.id) : undefined;
    const usable = record && !record.revoked_at && record.scope === parsed?.scope ? record : undefined;
    const cached = this.cache.get(digest);
    if (cached && cached.hash === (usable?.hash ?? '')) return this.outcome(cached.ok && usable ? usable : undefined);

    let ok = false;
    if (usable && parsed) ok = await secretMatches(parsed.secret, usable.salt, usable.hash);
    // A well-formed key with an unknown id costs the same hash as a wrong
    // secret, so timing does not tell which ids exist. A malformed one is
    // refused without it: the format is public, and it should cost nothing.
    else if (parsed) await hashSecret(parsed.secret, decoySalt);
    if (this.cache.size >= maxCached) this.cache.clear();
    this.cache.set(digest, { id: parsed?.id ?? '', hash: usable?.hash ?? '', ok });
    return this.outcome(ok ? usable : undefined);
  }

  private outcome(record: ApiKeyRecord | undefined): Verification {
    if (!record) return { ok: false };
    this.lastUsed.set(record.id, Date.now());
    return { ok: true, id: record.id, scope: record.scope };
  }
}

/**
 * A digest of each key's id, scope and revocation, never of a salt or hash:
 * it tells another process that the table changed, and nothing that helps
 * to check or find a key.
 */
function tableRevisionOf(records: readonly ApiKeyRecord[]): string {
  const lines = records.map((record) => `${record.id} ${record.scope} ${record.revoked_at ?? ''}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 22);
}
