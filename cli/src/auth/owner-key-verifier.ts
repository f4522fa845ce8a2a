import { isKeyScope, parseApiKey, Periodic, presentedKeyDigest, SpanlensError, type Verification } from '@spanlens/core';
import { callOwner, internalKeyHint } from '../owner-call';

/** What the key check in front of every route asks: ApiKeyVerifier, or OwnerKeyVerifier in a process without a store. */
export interface PresentedKeyCheck {
  /** False while no key exists anywhere: every route is open (and the server on loopback only). */
  readonly enforcing: boolean;
  /** True when `presented` was answered before and the answer still holds: checking it again costs nothing. */
  isCached(presented: string): boolean;
  verify(presented: string): Promise<Verification>;
}

export interface OwnerKeyVerifierOptions {
  /** storage.owner_url: the process that owns the embedded store and its key table. */
  ownerUrl: string;
  /** auth.api_key: this process's own internal-scope key, which the owner requires once keys exist. */
  apiKey: string | undefined;
  /** How often the owner's table revision is read, so a key revoked there stops working here within this long. */
  pollIntervalMs?: number;
  /** Called when a poll fails; the last state read stays in force. */
  onPollError?: (error: unknown) => void;
}

interface OwnerState {
  enforcing: boolean;
  revision: string;
}

/** Answers kept before the cache is emptied (bounds memory under a flood of bad keys). */
const maxCached = 10_000;

/**
 * Verifies keys for a collector or ingest worker without a store, by asking
 * the owner of the embedded store (`POST /internal/v1/keys/verify`) about
 * one presented key at a time. The owner used to share its whole key table
 * (salts and scrypt hashes, admin keys included) with any ingest key; now a
 * process's internal key learns only whether a key it holds is valid, and for
 * which scope — nothing it could not learn by presenting that key to any
 * route — and each failed answer counts against it on the owner like a wrong
 * key at the door, so the endpoint is no faster an oracle than the routes.
 *
 * The hot path does not call the owner per request: each answer (positive or
 * negative) is kept, by a SHA-256 of the key, for as long as the owner's
 * table revision it was given under is the one last polled. The revision (a
 * digest of ids, scopes and revocations) is read every 2 s, as the whole
 * table used to be, so a key revoked on the owner stops working here within
 * one poll interval, and a key created there is accepted within one too.
 * Concurrent requests with the same unknown key share one call.
 */
export class OwnerKeyVerifier implements PresentedKeyCheck {
  private state: OwnerState | undefined;
  private readonly cache = new Map<string, { verification: Verification; revision: string }>();
  private readonly asking = new Map<string, Promise<{ verification: Verification; revision: string }>>();
  private readonly polling: Periodic;

  constructor(private readonly options: OwnerKeyVerifierOptions) {
    this.polling = new Periodic(async () => void (this.state = await this.readState()), options.pollIntervalMs ?? 2_000, options.onPollError);
  }

  /** Reads the owner's state once (failing loudly: a wrong or missing key is a setup error), then keeps it fresh. */
  async start(): Promise<void> {
    this.state = await this.readState();
    this.polling.start();
  }

  async stop(): Promise<void> {
    await this.polling.stop();
  }

  /** Reads the owner's state now; a failure leaves the last state in force. */
  async poll(): Promise<void> {
    await this.polling.run();
  }

  get enforcing(): boolean {
    return this.state?.enforcing ?? false;
  }

  isCached(presented: string): boolean {
    return this.current(presentedKeyDigest(presented)) !== undefined;
  }

  async verify(presented: string): Promise<Verification> {
    // The format is public: a malformed key is refused here, without asking.
    if (!parseApiKey(presented)) return { ok: false };
    const digest = presentedKeyDigest(presented);
    const cached = this.current(digest);
    if (cached) return cached;
    let asked = this.asking.get(digest);
    if (!asked) {
      asked = this.ask(presented).finally(() => this.asking.delete(digest));
      this.asking.set(digest, asked);
    }
    const answer = await asked;
    if (this.cache.size >= maxCached) this.cache.clear();
    this.cache.set(digest, answer);
    return answer.verification;
  }

  /** A kept answer, while the table it was given under is still the owner's. */
  private current(digest: string): Verification | undefined {
    const cached = this.cache.get(digest);
    return cached && cached.revision === this.state?.revision ? cached.verification : undefined;
  }

  private async readState(): Promise<OwnerState> {
    const body = await this.call('GET', '/internal/v1/keys/state') as Partial<OwnerState>;
    if (typeof body.enforcing !== 'boolean' || typeof body.revision !== 'string') throw this.unavailable('answered an unexpected body to /internal/v1/keys/state');
    return { enforcing: body.enforcing, revision: body.revision };
  }

  private async ask(presented: string): Promise<{ verification: Verification; revision: string }> {
    const body = await this.call('POST', '/internal/v1/keys/verify', { key: presented }) as { ok?: unknown; id?: unknown; scope?: unknown; revision?: unknown };
    if (typeof body.revision !== 'string') throw this.unavailable('answered an unexpected body to /internal/v1/keys/verify');
    const verification: Verification = body.ok === true && typeof body.id === 'string' && typeof body.scope === 'string' && isKeyScope(body.scope)
      ? { ok: true, id: body.id, scope: body.scope }
      : { ok: false };
    return { verification, revision: body.revision };
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const answer = await callOwner({ ownerUrl: this.options.ownerUrl, apiKey: this.options.apiKey, path, method, body });
    if (answer.ok) return answer.body;
    if (answer.refused) throw new SpanlensError('KEY_CHECK_REFUSED', `storage.owner_url (${new URL(this.options.ownerUrl).origin}) refused to verify API keys (${answer.problem}): ${internalKeyHint}`, { status: 503 });
    throw this.unavailable(answer.problem, answer.cause);
  }

  private unavailable(what: string, cause?: unknown): SpanlensError {
    return new SpanlensError('KEY_CHECK_UNAVAILABLE', `API keys cannot be checked now: storage.owner_url (${new URL(this.options.ownerUrl).origin}) ${what}`, { status: 503, ...(cause === undefined ? {} : { cause }) });
  }
}
