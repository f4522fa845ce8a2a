import type { Router } from 'express';
import type { ApiRouterOptions } from './router';

/** GET /jobs, POST /jobs/:name/run (filled in by the jobs work). */
export function mountJobsRoutes(_router: Router, _options: ApiRouterOptions): void {}
