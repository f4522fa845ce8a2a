import type { ClickHouseClient } from '@clickhouse/client';
import { Router } from 'express';
import { createCostsHandler } from './costs-route';

export interface ApiRouterOptions {
  client: ClickHouseClient;
  database: string;
  now?: () => Date;
}

/** Everything under `/api/v1`. */
export function createApiRouter(options: ApiRouterOptions): Router {
  const router = Router();
  router.get('/costs', createCostsHandler(options));
  return router;
}
