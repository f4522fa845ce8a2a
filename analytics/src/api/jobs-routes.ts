import { json, type NextFunction, type Request, type Response, type Router } from 'express';
import { SpanlensError } from '@spanlens/core';
import type { JobsControl } from '../jobs/job';
import { parseWindowEnd, windowEndProblem } from '../jobs/run-job';
import type { ApiRouterOptions } from './router';

/**
 * `GET /jobs`: `{ jobs: [...] }`, each job with its schedule, whether it runs
 * now, its next scheduled run and its last run.
 *
 * `POST /jobs/:name/run`, with an optional body `{ "window_end": ISO }`: runs
 * the job now and answers its run record: 200 when the run succeeded, 500
 * with the record (plus `error: "job_failed"` and `message`) when it failed;
 * 400 for a bad body, 404 for an unknown job, 409 while the job runs, 503
 * when this process cannot run jobs.
 */
export function mountJobsRoutes(router: Router, options: ApiRouterOptions): void {
  router.get('/jobs', async (_req: Request, res: Response) => {
    if (!options.jobs) return void unavailable(res);
    res.json({ jobs: await options.jobs.list() });
  });

  router.post('/jobs/:name/run', readJsonBody, async (req: Request, res: Response) => {
    if (!options.jobs) return void unavailable(res);
    const windowEnd = parseRunBody(req.body);
    if (typeof windowEnd === 'string') {
      res.status(400).json({ error: 'bad_request', message: windowEnd });
      return;
    }
    const record = await runOrAnswer(options.jobs, String(req.params.name), windowEnd, res);
    if (!record) return;
    if (record.outcome === 'ok') res.json(record);
    else res.status(500).json({ error: 'job_failed', message: `job ${record.job} failed: ${record.detail}`, ...record });
  });
}

/** The window end a run body asks for (undefined: now), or what is wrong with the body. */
export function parseRunBody(body: unknown): Date | undefined | string {
  if (body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)) return undefined;
  if (typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object such as {"window_end": "2026-06-01T08:00:00Z"}';
  const { window_end: windowEnd, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) return `unknown field ${unknown.join(', ')}; the only field is window_end`;
  if (windowEnd === undefined) return undefined;
  const parsed = typeof windowEnd === 'string' ? parseWindowEnd(windowEnd) : undefined;
  return parsed instanceof Date ? parsed : `window_end: ${windowEndProblem(windowEnd)}`;
}

const jsonParser = json({ limit: '16kb' });

/** JSON bodies for this route only; a body that is not JSON is a 400 naming why. */
function readJsonBody(req: Request, res: Response, next: NextFunction): void {
  jsonParser(req, res, (error?: unknown) => {
    if (!error) return next();
    res.status(400).json({ error: 'bad_request', message: `the body is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
  });
}

/** Expected refusals (unknown job, job running, stopping) are answers, not server errors. */
async function runOrAnswer(jobs: JobsControl, name: string, windowEnd: Date | undefined, res: Response) {
  try {
    return await jobs.run(name, windowEnd);
  } catch (error) {
    if (!(error instanceof SpanlensError) || (error.status >= 500 && error.status !== 503)) throw error;
    res.status(error.status).json({ error: error.code, message: error.message });
    return undefined;
  }
}

function unavailable(res: Response): void {
  res.status(503).json({ error: 'jobs_unavailable', message: 'this process does not run jobs: it needs storage and the jobs or api role' });
}
