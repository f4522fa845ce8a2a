import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * `ingest`: an application sending OTLP and feedback, nothing else. `read`:
 * the query API, reports, dashboard and language server. `admin`: also keys,
 * silences, prices, erasure and the audit log. `internal`: Spanlens's own
 * collectors and ingest workers that run without a store, talking to the
 * process that owns it (`/internal/v1/*`: store spans and feedback, verify a
 * presented key, read price overrides) — kept apart from `ingest` because
 * those routes take spans as already redacted and priced.
 */
export const keyScopes = ['ingest', 'read', 'admin', 'internal'] as const;
export type KeyScope = (typeof keyScopes)[number];

/**
 * `sl_<scope>_<id>_<secret>`: the id finds the stored record without a scan,
 * the scope tells a human what the key is for, and only the secret is hashed.
 * Hex throughout, so the key never holds the `_` that separates its parts.
 */
const keyPattern = /^sl_(ingest|read|admin|internal)_([0-9a-f]{16})_([0-9a-f]{64})$/;

export interface ParsedApiKey {
  scope: KeyScope;
  id: string;
  secret: string;
}

export function parseApiKey(text: string): ParsedApiKey | undefined {
  const match = keyPattern.exec(text);
  if (!match) return undefined;
  return { scope: match[1] as KeyScope, id: match[2]!, secret: match[3]! };
}

export function isKeyScope(text: string): text is KeyScope {
  return (keyScopes as readonly string[]).includes(text);
}

/** A new key; the caller shows `key` once and stores only a hash of `secret`. */
export function generateApiKey(scope: KeyScope): ParsedApiKey & { key: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('hex');
  return { scope, id, secret, key: `sl_${scope}_${id}_${secret}` };
}

export function newSalt(): string {
  return randomBytes(16).toString('hex');
}

/**
 * scrypt (N=2^14, r=8, p=1): a slow hash, so a copy of the key table does not
 * let anyone try secrets quickly. Verification costs tens of milliseconds and
 * runs on libuv's pool; ApiKeyVerifier caches the outcome per presented key.
 */
export function hashSecret(secret: string, salt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    scrypt(secret, Buffer.from(salt, 'hex'), 32, { N: 16_384, r: 8, p: 1 }, (error, derived) => {
      if (error) reject(error);
      else resolve(derived.toString('hex'));
    });
  });
}

/** Compares a presented secret with a stored hash in constant time. */
export async function secretMatches(secret: string, salt: string, storedHash: string): Promise<boolean> {
  const presented = Buffer.from(await hashSecret(secret, salt), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return stored.length === presented.length && timingSafeEqual(presented, stored);
}

/** The cache key of a presented key: a fast digest, held only in memory. */
export function presentedKeyDigest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
