import type { Request, Response, Router } from 'express';
import { queryAnnotations, type AnnotationSubject } from '../annotations/query-annotations';
import { readDigest } from '../digest/read-digest';
import { readDrift } from '../drift/read-drift';
import { comparePromptVersions } from '../prompts/compare-versions';
import { readSatisfaction } from '../satisfaction/read-satisfaction';
import { satisfactionDimensions, type SatisfactionDimension } from '../satisfaction/satisfaction-sql';
import type { ApiRouterOptions } from './router';

/** GET /satisfaction, /drift, /prompts/:id/versions, /digest: what the analytics jobs found. */
export function mountInsightRoutes(router: Router, options: ApiRouterOptions): void {
  router.get('/satisfaction', async (req: Request, res: Response) => {
    const groupBy = String(req.query.group_by ?? 'feature');
    if (!(satisfactionDimensions as readonly string[]).includes(groupBy)) {
      res.status(400).json({ error: 'bad_request', message: `group_by: expected one of ${satisfactionDimensions.join(', ')}; got "${groupBy}"` });
      return;
    }
    res.json(await readSatisfaction(options.client, options.database, groupBy as SatisfactionDimension));
  });

  router.get('/drift', async (req: Request, res: Response) => {
    const drifted = String(req.query.drifted ?? 'false');
    if (drifted !== 'true' && drifted !== 'false') {
      res.status(400).json({ error: 'bad_request', message: `drifted: expected true or false; got "${drifted}"` });
      return;
    }
    res.json(await readDrift(options.client, options.database, { driftedOnly: drifted === 'true' }));
  });

  router.get('/prompts/:id/versions', async (req: Request, res: Response) => {
    const range = timeRange(req, options.now?.() ?? new Date(), 7 * 24 * 3_600_000);
    if (!range.ok) {
      res.status(400).json({ error: 'bad_request', message: range.message });
      return;
    }
    res.json(await comparePromptVersions(options.client, options.database, String(req.params.id), range.from, range.to));
  });
  router.get('/digest', async (req: Request, res: Response) => {
    const day = req.query.day === undefined ? undefined : String(req.query.day);
    if (day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(day)) {
      res.status(400).json({ error: 'bad_request', message: `day: expected YYYY-MM-DD; got "${day}"` });
      return;
    }
    const digest = await readDigest(options.client, options.database, day);
    if (!digest) {
      const nextDay = day ? new Date(Date.parse(`${day}T00:00:00Z`) + 24 * 3_600_000).toISOString() : '';
      res.status(404).json({ error: 'not_found', message: day ? `no digest for ${day}; make it with \`spanlens jobs run digest --window-end ${nextDay}\`` : 'no digest yet; the digest job runs daily' });
      return;
    }
    res.json(digest);
  });

  // What the language server shows per call site and per prompt (default: the last 24 h).
  for (const [path, subject] of [['/annotations/callsites', 'callsite'], ['/annotations/prompts', 'prompt']] as const) {
    router.get(path, async (req: Request, res: Response) => {
      // The default window ends at the next whole minute, so that polling
      // clients get the same body (and ETag, hence 304) until data changes.
      const range = timeRange(req, nextMinute(options.now?.() ?? new Date()), 24 * 3_600_000);
      if (!range.ok) {
        res.status(400).json({ error: 'bad_request', message: range.message });
        return;
      }
      res.json(await queryAnnotations(options.client, options.database, { subject: subject as AnnotationSubject, from: range.from, to: range.to }));
    });
  }
}

function nextMinute(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000 + 60_000);
}

/** `from` / `to` of a query string (ISO 8601), defaulting to the `spanMs` before now. */
function timeRange(req: Request, now: Date, spanMs: number): { ok: true; from: Date; to: Date } | { ok: false; message: string } {
  const to = req.query.to === undefined ? now : new Date(String(req.query.to));
  const from = req.query.from === undefined ? new Date(to.getTime() - spanMs) : new Date(String(req.query.from));
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (Number.isNaN(value.getTime())) return { ok: false, message: `${name}: expected an ISO 8601 time; got "${String(req.query[name])}"` };
  }
  if (from >= to) return { ok: false, message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` };
  return { ok: true, from, to };
}
