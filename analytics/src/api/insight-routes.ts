import type { Router } from 'express';
import type { ApiRouterOptions } from './router';

/** GET /satisfaction, /drift, /prompts/:id/versions, /digest. */
export function mountInsightRoutes(_router: Router, _options: ApiRouterOptions): void {}
