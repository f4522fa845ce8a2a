import type { ClickHouseClient } from '@clickhouse/client';
import { Router } from 'express';
import type { Logger, SpanlensConfig } from '@spanlens/core';
import type { JobsControl } from '../jobs/job';
import { createCostSeriesHandler, createCostsHandler } from './costs-route';
import { mountErasureRoute } from './erasure-route';
import { mountInsightRoutes } from './insight-routes';
import { mountJobsRoutes } from './jobs-routes';
import { mountOverviewRoutes } from './overview-routes';
import { mountReportRoutes } from './reports-routes';

export interface ApiRouterOptions {
  client: ClickHouseClient;
  database: string;
  config: SpanlensConfig;
  logger: Logger;
  /** The jobs of this process, when it runs the jobs role (or can run them on request). */
  jobs?: JobsControl;
  /** A user id as the collectors store it (a pseudonym when it holds personal data), for erasure. */
  storedUserId?: (userId: string) => string;
  now?: () => Date;
}

/** Everything under `/api/v1`. */
export function createApiRouter(options: ApiRouterOptions): Router {
  const router = Router();
  router.get('/costs', createCostsHandler(options));
  router.get('/costs/series', createCostSeriesHandler(options));
  mountJobsRoutes(router, options);
  mountReportRoutes(router, options);
  mountInsightRoutes(router, options);
  mountOverviewRoutes(router, options);
  mountErasureRoute(router, options);
  return router;
}
