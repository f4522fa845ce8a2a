import type { NextFunction, Request, Response } from 'express';
import { retryAfterHeader } from '@spanlens/collector';
import { FailedKeyLimiter } from './failed-key-limiter';
import type { PresentedKeyCheck } from './owner-key-verifier';
import type { Verification } from '@spanlens/core';
import { routeAccess } from './route-access';

/**
 * The presented key from `Authorization: Bearer …` (what OTel exporters send
 * from OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer …"), or from
 * `x-api-key` / `x-spanlens-key` for clients that cannot set Authorization.
 */
export function presentedKey(req: Request): string | undefined {
  const authorization = req.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  for (const header of ['x-api-key', 'x-spanlens-key']) {
    const value = req.headers[header];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * Checks every request against the route's required scope. Without any key
 * in the store every route is open (the server then listens on loopback
 * only). 401 for a missing, malformed, unknown, revoked or wrong key — one
 * body for all, so a caller learns nothing about which part was wrong — and
 * 403 for a valid key whose scope does not cover the route.
 */
export function createRequireKey(verifier: PresentedKeyCheck, failures: FailedKeyLimiter = new FailedKeyLimiter()) {
  return async function requireKey(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (!verifier.enforcing) return next();
    const access = routeAccess(req.method, req.path);
    if (access.open) return next();
    const key = presentedKey(req);
    const address = req.socket.remoteAddress ?? 'unknown';
    const waitMs = key !== undefined && !verifier.isCached(key) ? failures.blockedForMs(address) : 0;
    if (waitMs > 0) {
      discardBody(req);
      res.setHeader('Retry-After', retryAfterHeader(waitMs / 1000));
      res.status(429).json({ error: 'rate_limited', message: 'too many invalid API keys from this address; retry later' });
      return;
    }
    let verified: Verification;
    try {
      verified = key === undefined ? { ok: false } : await verifier.verify(key);
    } catch {
      // The store owner that verifies keys for this process did not answer
      // (its state poll logs that, once per poll): not the client's fault, so
      // neither 401 nor 500 — a retryable 503, as when Kafka is down.
      discardBody(req);
      res.setHeader('Retry-After', retryAfterHeader(VERIFY_RETRY_AFTER_S));
      res.status(503).json({ error: 'unavailable', message: 'the API key could not be checked right now; retry later' });
      return;
    }
    if (!verified.ok && key !== undefined) failures.recordFailure(address);
    if (!verified.ok) {
      discardBody(req);
      res.setHeader('WWW-Authenticate', 'Bearer realm="spanlens"');
      res.status(401).json({ error: 'unauthorized', message: 'a valid API key is required: send it as Authorization: Bearer <key>' });
      return;
    }
    if (!access.scopes.includes(verified.scope)) {
      discardBody(req);
      res.status(403).json({ error: 'forbidden', message: `a key of scope ${verified.scope} may not ${req.method} ${req.path}; it needs scope ${access.scopes.join(' or ')}` });
      return;
    }
    // Read by the audit log, the erasure route and the collector's rate limits.
    res.locals.apiKeyId = verified.id;
    res.locals.apiKeyScope = verified.scope;
    next();
  };
}

/** Seconds a client waits when its key could not be checked (the owner's state is polled every 2 s). */
const VERIFY_RETRY_AFTER_S = 2;

/** Bytes of a refused request's body read (so the client sees the answer) before the connection is cut. */
const maxDiscardedBytes = 1024 * 1024;

/** Reads and drops the body of a refused request, but not without end: a large upload gets its socket closed. */
function discardBody(req: Request): void {
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > maxDiscardedBytes) req.socket.destroy();
  });
  req.resume();
}
