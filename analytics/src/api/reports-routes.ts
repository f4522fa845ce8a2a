import type { Router } from 'express';
import type { ApiRouterOptions } from './router';

/** GET /reports/cost (filled in by the reports work). */
export function mountReportRoutes(_router: Router, _options: ApiRouterOptions): void {}
