import express, { type Request, type Response, type Router } from 'express';
import { eraseUser } from '../erasure/erase-user';
import type { ApiRouterOptions } from './router';

/**
 * `POST /api/v1/erasure` `{ "user_id": "…" }`: erases one user's data and
 * answers when it is done, with what was removed. Requests run one at a
 * time: two erasures rebuilding the same rollup hours at once would race.
 */
export function mountErasureRoute(router: Router, options: ApiRouterOptions): void {
  let queue: Promise<unknown> = Promise.resolve();
  router.post('/erasure', express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    const userId = (req.body as { user_id?: unknown } | undefined)?.user_id;
    if (typeof userId !== 'string' || userId.trim() === '') {
      res.status(400).json({ error: 'bad_request', message: 'user_id: expected the id of the user to erase, a non-empty string' });
      return;
    }
    // Who asked is the key that authenticated the request when keys are configured; never the user.
    const requestedBy = typeof res.locals.apiKeyId === 'string' ? `key:${res.locals.apiKeyId}` : 'api';
    const run = queue.then(() => eraseUser(options.client, options.database, { userId, requestedBy, config: options.config, ...(options.storedUserId ? { storedAs: options.storedUserId } : {}), ...(options.now ? { now: options.now } : {}) }));
    queue = run.catch(() => undefined);
    try {
      const report = await run;
      options.logger.info({ request_id: report.request_id, spans: report.spans_deleted, feedback: report.feedback_deleted }, 'erasure done');
      res.json(report);
    } catch (error) {
      options.logger.error({ err: error }, 'erasure failed; nothing was recorded as done, retry the request');
      res.status(500).json({ error: 'erasure_failed', message: 'the erasure did not complete; retry the request (it is safe to repeat)' });
    }
  });
}
