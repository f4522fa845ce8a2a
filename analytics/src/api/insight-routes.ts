import type { Request, Response, Router } from 'express';
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
    const now = options.now?.() ?? new Date();
    const to = req.query.to === undefined ? now : new Date(String(req.query.to));
    const from = req.query.from === undefined ? new Date(to.getTime() - 7 * 24 * 3_600_000) : new Date(String(req.query.from));
    for (const [name, value] of [['from', from], ['to', to]] as const) {
      if (Number.isNaN(value.getTime())) {
        res.status(400).json({ error: 'bad_request', message: `${name}: expected an ISO 8601 time; got "${String(req.query[name])}"` });
        return;
      }
    }
    if (from >= to) {
      res.status(400).json({ error: 'bad_request', message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` });
      return;
    }
    res.json(await comparePromptVersions(options.client, options.database, String(req.params.id), from, to));
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
}
