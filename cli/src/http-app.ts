import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { Histogram, type Registry } from 'prom-client';
import { SpanlensError, type Logger } from '@spanlens/core';

export interface HttpAppOptions {
  registry: Registry;
  logger: Logger;
  /** Liveness needs nothing; readiness asks storage (or the broker) whether it answers. */
  ready: () => Promise<{ ok: boolean; detail: string }>;
  otlpTraces?: (req: Request, res: Response) => Promise<void>;
  feedback?: (req: Request, res: Response) => Promise<void>;
  /** Spans and feedback from ingest workers that store through this process (`storage.owner_url`). */
  owner?: { spans: (req: Request, res: Response) => Promise<void>; feedback: (req: Request, res: Response) => Promise<void> };
  api?: Router;
  /** The web dashboard: GET on its own pages and /assets only, after every other route. */
  dashboard?: Router;
  /** `/internal/v1/keys/state` and `/internal/v1/keys/verify`: key checks for processes without a store (internal scope). */
  keyVerification?: Router;
  /** `/internal/v1/prices/state` and `/internal/v1/prices`: the API's price overrides, for collectors without a store (internal scope). */
  priceSync?: Router;
  /** Runs before every route: the API-key check (see auth/require-key), which leaves health and the dashboard's static files open. */
  guard?: RequestHandler;
}

/** The one HTTP server of a process: OTLP receiver, API, health and metrics. */
export function createHttpApp(options: HttpAppOptions): express.Express {
  const { registry, logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  const requestSeconds = new Histogram({
    name: 'spanlens_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  app.use((req, res, next) => {
    const stop = requestSeconds.startTimer();
    res.on('finish', () => {
      // Label by matched route, not raw URL, so the metric's cardinality stays bounded.
      const route = (req.route?.path as string | undefined) ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      stop({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  });

  if (options.guard) app.use(options.guard);
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const ready = await options.ready().catch((error: Error) => ({ ok: false, detail: error.message }));
    res.status(ready.ok ? 200 : 503).json({ status: ready.ok ? 'ready' : 'not ready', detail: ready.detail });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  // Express 5 passes a rejected handler promise to the error middleware.
  if (options.otlpTraces) app.post('/v1/traces', options.otlpTraces);
  if (options.feedback) app.post('/v1/feedback', options.feedback);
  if (options.owner) {
    app.post('/internal/v1/spans', options.owner.spans);
    app.post('/internal/v1/feedback', options.owner.feedback);
  }
  if (options.keyVerification) app.use(options.keyVerification);
  if (options.priceSync) app.use(options.priceSync);
  if (options.api) app.use('/api/v1', options.api);
  if (options.dashboard) app.use(options.dashboard);

  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const body = bodyParserError(error);
    if (body) {
      // A client's malformed body, caught by express.json() on any route: its fault, said so, not logged as ours.
      res.status(body.status).json({ error: 'bad_request', message: `request body: ${body.message}` });
      return;
    }
    const status = error instanceof SpanlensError ? error.status : 500;
    logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    const code = error instanceof SpanlensError ? error.code : 'internal_error';
    const message = status < 500 && error instanceof Error ? error.message : 'internal error; see the server log';
    res.status(status).json({ error: code, message });
  });
  return app;
}

/** express.json()'s errors carry a `type` and a 4xx `status`: invalid JSON, too large, wrong charset. */
function bodyParserError(error: unknown): { status: number; message: string } | undefined {
  const candidate = error as { type?: unknown; status?: unknown; message?: unknown } | null;
  if (typeof candidate?.type !== 'string' || !candidate.type.startsWith('entity.') && !candidate.type.startsWith('charset.') && !candidate.type.startsWith('encoding.')) return undefined;
  const status = typeof candidate.status === 'number' && candidate.status >= 400 && candidate.status < 500 ? candidate.status : 400;
  return { status, message: candidate.type === 'entity.parse.failed' ? `not valid JSON (${String(candidate.message)})` : String(candidate.message) };
}
