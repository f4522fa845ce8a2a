import { Router, type Request, type Response } from 'express';
import type { PriceOverrideWatcher } from './price-override-watcher';

/**
 * On a process with a store, for collectors without one (see
 * ownerPriceSource): `GET /internal/v1/prices/state` (the overrides'
 * revision, polled every 2 s) and `GET /internal/v1/prices` (every override
 * in force, read when the revision changed). Answered from memory; an internal
 * key once keys exist, like every /internal route.
 */
export function createPriceSyncRouter(options: { watcher: PriceOverrideWatcher }): Router {
  const { watcher } = options;
  const router = Router();
  router.get('/internal/v1/prices/state', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ revision: watcher.revision });
  });
  router.get('/internal/v1/prices', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-store');
    res.json({ revision: watcher.revision, overrides: watcher.overrides });
  });
  return router;
}
