import express, { Router, type Request, type Response } from 'express';
import type { ApiKeyVerifier } from '@spanlens/core';
import { retryAfterHeader } from '@spanlens/collector';
import { FailedKeyLimiter } from './failed-key-limiter';

/** Longer than any key (`sl_admin_` + 16 + 1 + 64 characters); anything longer is not one. */
const maxPresentedKeyLength = 256;

/**
 * On the process that owns the embedded store, for collectors and ingest
 * workers without one (see OwnerKeyVerifier): `GET /internal/v1/keys/state`
 * (whether keys exist, and the table's revision) and
 * `POST /internal/v1/keys/verify` `{ key }` (that key's validity and scope,
 * nothing about any other). Both need an internal key once keys exist, like
 * every /internal route. A failed verification counts against the calling
 * key as a wrong key at the door counts against an address: a burst of 100,
 * then 10 a second, then 429 for keys this process has not seen before.
 */
export function createKeyVerificationRouter(options: { verifier: ApiKeyVerifier; failures?: FailedKeyLimiter }): Router {
  const { verifier } = options;
  const failures = options.failures ?? new FailedKeyLimiter();
  const router = Router();

  router.get('/internal/v1/keys/state', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ enforcing: verifier.enforcing, revision: verifier.revision });
  });

  router.post('/internal/v1/keys/verify', express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    const key = (req.body as { key?: unknown } | undefined)?.key;
    if (typeof key !== 'string' || key.length > maxPresentedKeyLength) {
      res.status(400).json({ error: 'bad_request', message: `key: expected text of at most ${maxPresentedKeyLength} characters` });
      return;
    }
    const caller = typeof res.locals.apiKeyId === 'string' ? `key ${res.locals.apiKeyId}` : `address ${req.socket.remoteAddress ?? 'unknown'}`;
    const waitMs = verifier.isCached(key) ? 0 : failures.blockedForMs(caller);
    if (waitMs > 0) {
      res.setHeader('Retry-After', retryAfterHeader(waitMs / 1000));
      res.status(429).json({ error: 'rate_limited', message: 'too many invalid API keys verified by this caller; retry later' });
      return;
    }
    // Read before verifying: verify looks the key's record up at once, in this tick, so the answer belongs to this revision.
    const revision = verifier.revision;
    const verified = await verifier.verify(key);
    if (!verified.ok) failures.recordFailure(caller);
    res.json(verified.ok ? { ok: true, id: verified.id, scope: verified.scope, revision } : { ok: false, revision });
  });
  return router;
}
