import type { ClickHouseClient } from '@clickhouse/client';
import express, { Router, type Request, type Response } from 'express';
import type { AlertsConfig } from '@spanlens/core';
import type { AlertView, AlertsResponse, SilenceView } from '@spanlens/core/api/alerts';
import { loadInstances } from '../engine/instance-store';
import { silenceStatus } from '../engine/silence-match';
import { createSilence, deleteSilence, listSilences } from '../engine/silence-store';
import type { AlertInstance } from '../model';
import { testRuleFile } from './test-rules';

export interface AlertsRouterOptions {
  client: ClickHouseClient;
  database: string;
  config: AlertsConfig;
  now?: () => number;
}

const RECENT_MS = 24 * 3_600_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function present(instance: AlertInstance): AlertView {
  return {
    ...instance,
    active_since: iso(instance.active_since),
    firing_since: iso(instance.firing_since),
    cleared_since: iso(instance.cleared_since),
    resolved_at: iso(instance.resolved_at),
    last_evaluated: iso(instance.last_evaluated),
    last_notified: iso(instance.last_notified),
  };
}

/** `/alerts`, `/silences` and `/alerts/test` under `/api/v1`. */
export function createAlertsRouter(options: AlertsRouterOptions): Router {
  const now = options.now ?? Date.now;
  const router = Router();
  const json = express.json({ limit: '1mb' });

  router.get('/alerts', async (_req: Request, res: Response) => {
    const instances = [...(await loadInstances(options.client, options.database)).values()];
    const at = now();
    const active = instances.filter((instance) => instance.state !== 'inactive');
    const recent = instances.filter((instance) => instance.state === 'inactive' && instance.resolved_at !== null && at - instance.resolved_at <= RECENT_MS);
    const order = (a: AlertInstance, b: AlertInstance) => (b.firing_since ?? b.active_since ?? 0) - (a.firing_since ?? a.active_since ?? 0);
    const body: AlertsResponse = { active: active.sort(order).map(present), recent: recent.sort((a, b) => (b.resolved_at ?? 0) - (a.resolved_at ?? 0)).map(present) };
    res.json(body);
  });

  router.get('/silences', async (_req: Request, res: Response) => {
    const at = now();
    const silences = await listSilences(options.client, options.database);
    const views: SilenceView[] = silences.map((s) => ({ ...s, starts_at: iso(s.starts_at) ?? '', ends_at: iso(s.ends_at) ?? '', status: silenceStatus(s, at) }));
    res.json({ silences: views });
  });

  router.post('/silences', json, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const time = (value: unknown): number | undefined => (value === undefined ? undefined : typeof value === 'number' ? value : Date.parse(String(value)));
    const matchers = Array.isArray(body.matchers) ? (body.matchers as Array<{ name: string; value: string; regex?: boolean; isRegex?: boolean }>) : [];
    const result = await createSilence(
      options.client,
      options.database,
      {
        ...(typeof body.id === 'string' ? { id: body.id } : {}),
        matchers: matchers.map((m) => ({ name: String(m.name ?? ''), value: String(m.value ?? ''), regex: Boolean(m.regex ?? m.isRegex) })),
        ...(body.starts_at === undefined ? {} : { starts_at: time(body.starts_at) as number }),
        ends_at: time(body.ends_at) ?? Number.NaN,
        created_by: String(body.created_by ?? ''),
        comment: String(body.comment ?? ''),
      },
      now(),
    );
    if (!result.ok) {
      res.status(400).json({ error: 'invalid_silence', message: result.error });
      return;
    }
    res.status(201).json({ ...result.silence, starts_at: iso(result.silence.starts_at), ends_at: iso(result.silence.ends_at) });
  });

  router.delete('/silences/:id', async (req: Request, res: Response) => {
    const deleted = await deleteSilence(options.client, options.database, String(req.params.id), now());
    if (!deleted) {
      res.status(404).json({ error: 'not_found', message: `no silence ${String(req.params.id)}` });
      return;
    }
    res.json({ deleted: String(req.params.id) });
  });

  router.post('/alerts/test', json, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { path?: unknown; yaml?: unknown };
    if (typeof body.yaml !== 'string') {
      res.status(400).json({ error: 'bad_request', message: 'yaml: expected the rule file as text' });
      return;
    }
    const path = typeof body.path === 'string' ? body.path : 'rules.yaml';
    res.json(await testRuleFile(options.client, options.database, { path, text: body.yaml }, Object.keys(options.config.channels), new Date(now())));
  });
  return router;
}
