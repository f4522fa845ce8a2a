import type { Request, Response } from 'express';

/**
 * Whom a rate limit applies to: the API key that authenticated the request
 * (`res.locals.apiKeyId`, set by the key check in front of the collector),
 * or, when no keys exist, the client's address.
 */
export function limitedClient(req: Request, res: Response): string {
  const keyId = res.locals.apiKeyId;
  return typeof keyId === 'string' ? `key:${keyId}` : `address:${req.socket.remoteAddress ?? 'unknown'}`;
}
