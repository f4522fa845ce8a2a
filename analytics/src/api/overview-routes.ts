import type { Request, Response, Router } from 'express';
import { readAlertHistory } from '../overview/alert-history';
import { readDriftDistributions } from '../overview/drift-distributions';
import { queryBreakdown } from '../overview/query-breakdown';
import { anySpan, queryOverview } from '../overview/query-overview';
import { queryOverviewSeries } from '../overview/query-overview-series';
import { overviewGroupings, parseSpanFilters, type OverviewGrouping, type SpanFilters } from '../overview/span-filters';
import { seriesInterval, type SeriesInterval } from '../overview/stack-series';
import type { ApiRouterOptions } from './router';

const DAY_MS = 24 * 3_600_000;
/** Raw spans are read for these views; a year is plenty for a dashboard and bounds the work. */
const maxRangeMs = 400 * DAY_MS;

type Parsed = { ok: true; from: Date; to: Date; filters: SpanFilters } | { ok: false; message: string };

/** `from`/`to` (ISO 8601, default the `defaultMs` before now) and the span filters of a query string. */
function parseViewQuery(req: Request, now: Date, defaultMs = DAY_MS): Parsed {
  const query = req.query as Record<string, unknown>;
  const to = query.to === undefined ? now : new Date(String(query.to));
  const from = query.from === undefined ? new Date(to.getTime() - defaultMs) : new Date(String(query.from));
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (Number.isNaN(value.getTime())) return { ok: false, message: `${name}: expected an ISO 8601 time; got "${String(query[name])}"` };
  }
  if (from >= to) return { ok: false, message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` };
  if (to.getTime() - from.getTime() > maxRangeMs) return { ok: false, message: 'from, to: a range of at most 400 days' };
  const filters = parseSpanFilters(query);
  if (!filters.ok) return filters;
  return { ok: true, from, to, filters: filters.filters };
}

function grouping(value: unknown, name: string, fallback: OverviewGrouping): { ok: true; value: OverviewGrouping } | { ok: false; message: string } {
  const text = value === undefined ? fallback : String(value);
  if ((overviewGroupings as readonly string[]).includes(text)) return { ok: true, value: text as OverviewGrouping };
  return { ok: false, message: `${name}: expected one of ${overviewGroupings.join(', ')}; got "${text}"` };
}

const badRequest = (res: Response, message: string) => void res.status(400).json({ error: 'bad_request', message });

/**
 * What the dashboard needs beyond the cost routes, every one filterable by
 * feature, model, provider, user, prompt and call site:
 * GET /overview, /overview/series, /breakdown and /drift/distributions; and
 * GET /alert-history, the alert engine's notifications.
 */
export function mountOverviewRoutes(router: Router, options: ApiRouterOptions): void {
  const now = options.now ?? (() => new Date());

  router.get('/overview', async (req: Request, res: Response) => {
    const at = now();
    const parsed = parseViewQuery(req, at);
    if (!parsed.ok) return badRequest(res, parsed.message);
    res.json(await queryOverview(options.client, options.database, { ...parsed, now: at }));
  });

  // Whether any span was ever stored: the dashboard's empty state, cheap enough to ask on every page.
  router.get('/overview/status', async (_req: Request, res: Response) => {
    res.json({ has_spans: await anySpan(options.client, options.database) });
  });

  router.get('/overview/series', async (req: Request, res: Response) => {
    const parsed = parseViewQuery(req, now());
    if (!parsed.ok) return badRequest(res, parsed.message);
    const groupBy = grouping(req.query.group_by, 'group_by', 'feature');
    if (!groupBy.ok) return badRequest(res, groupBy.message);
    const intervalText = req.query.interval === undefined ? seriesInterval(parsed.from.getTime(), parsed.to.getTime()) : String(req.query.interval);
    if (intervalText !== 'hour' && intervalText !== 'day') return badRequest(res, `interval: expected hour or day; got "${intervalText}"`);
    const interval = intervalText as SeriesInterval;
    if (interval === 'hour' && parsed.to.getTime() - parsed.from.getTime() > 31 * DAY_MS) return badRequest(res, 'interval: hourly buckets for at most 31 days');
    res.json(await queryOverviewSeries(options.client, options.database, { ...parsed, groupBy: groupBy.value, interval }));
  });

  router.get('/breakdown', async (req: Request, res: Response) => {
    const parsed = parseViewQuery(req, now());
    if (!parsed.ok) return badRequest(res, parsed.message);
    const groupBy = grouping(req.query.group_by, 'group_by', 'feature');
    if (!groupBy.ok) return badRequest(res, groupBy.message);
    const then = grouping(req.query.then, 'then', 'user');
    if (!then.ok) return badRequest(res, then.message);
    const limit = req.query.limit === undefined ? 5 : Number(req.query.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return badRequest(res, `limit: expected a whole number from 1 to 100; got "${String(req.query.limit)}"`);
    res.json(await queryBreakdown(options.client, options.database, { ...parsed, groupBy: groupBy.value, then: then.value, limit }));
  });

  router.get('/alert-history', async (req: Request, res: Response) => {
    const parsed = parseViewQuery(req, now(), 7 * DAY_MS);
    if (!parsed.ok) return badRequest(res, parsed.message);
    res.json(await readAlertHistory(options.client, options.database, parsed));
  });

  router.get('/drift/distributions', async (req: Request, res: Response) => {
    const result = await readDriftDistributions(options.client, options.database, options.config.drift, {
      subjectKind: String(req.query.subject_kind ?? ''),
      subject: String(req.query.subject ?? ''),
      metric: String(req.query.metric ?? ''),
    });
    if (!result.ok) {
      res.status(result.status).json({ error: result.status === 404 ? 'not_found' : 'bad_request', message: result.message });
      return;
    }
    res.json(result.value);
  });
}
