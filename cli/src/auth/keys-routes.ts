import express, { Router, type Request, type Response } from 'express';
import type { ClickHouseClient } from '@clickhouse/client';
import { createApiKey, isKeyScope, keyScopes, listAudit, loadApiKeys, recordAudit, revokeApiKey, summariseKey, type ApiKeyVerifier, type Logger } from '@spanlens/core';
import { auditActor } from './audit-admin-actions';

export interface KeysRoutesOptions {
  client: ClickHouseClient;
  database: string;
  verifier: ApiKeyVerifier;
  logger: Logger;
}

/**
 * `/keys` and `/audit` under `/api/v1`, admin scope only (see route-access).
 * A revoke takes effect in this process before the answer is sent, and in
 * other processes at their next reload of the key table.
 */
export function createKeysRouter(options: KeysRoutesOptions): Router {
  const { client, database, verifier } = options;
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.get('/keys', async (_req: Request, res: Response) => {
    const records = await loadApiKeys(client, database);
    res.json({
      keys: records.map((record) => {
        const used = verifier.lastUsedAt(record.id);
        return { ...summariseKey(record), last_used_at: used === undefined ? null : new Date(used).toISOString() };
      }),
    });
  });

  router.post('/keys', json, async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as { scope?: unknown; name?: unknown };
    if (typeof body.scope !== 'string' || !isKeyScope(body.scope)) {
      res.status(400).json({ error: 'bad_request', message: `scope: expected one of ${keyScopes.join(', ')}` });
      return;
    }
    if (body.name !== undefined && (typeof body.name !== 'string' || body.name.length > 200)) {
      res.status(400).json({ error: 'bad_request', message: 'name: expected text of at most 200 characters' });
      return;
    }
    const created = await createApiKey(client, database, { scope: body.scope, ...(body.name ? { name: body.name } : {}) });
    verifier.apply(await loadApiKeys(client, database));
    await recordAudit(client, database, { actor: auditActor(res), action: 'key.create', target: created.record.id, detail: { scope: created.record.scope } });
    options.logger.info({ key_id: created.record.id, scope: created.record.scope }, 'API key created');
    res.status(201).json({ key: created.key, ...summariseKey(created.record) });
  });

  const revoke = async (req: Request, res: Response) => {
    const id = String(req.params.id);
    const outcome = await revokeApiKey(client, database, id);
    if (!outcome.ok) {
      res.status(404).json({ error: 'not_found', message: outcome.error });
      return;
    }
    verifier.apply(await loadApiKeys(client, database));
    if (!outcome.already) await recordAudit(client, database, { actor: auditActor(res), action: 'key.revoke', target: id });
    options.logger.info({ key_id: id }, 'API key revoked');
    res.json({ ...summariseKey(outcome.record), already_revoked: outcome.already });
  };
  router.post('/keys/:id/revoke', revoke);
  router.delete('/keys/:id', revoke);

  router.get('/audit', async (req: Request, res: Response) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 10_000);
    res.json({ entries: await listAudit(client, database, { limit }) });
  });
  return router;
}
