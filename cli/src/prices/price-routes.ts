import express, { Router, type Request, type Response } from 'express';
import type { ClickHouseClient } from '@clickhouse/client';
import {
  configPriceVersion,
  deletePriceOverride,
  describePriceIssues,
  overridePriceVersion,
  priceOverrideInputSchema,
  priceRates,
  recordAudit,
  storePriceOverride,
  type CustomPrice,
  type Logger,
  type PriceList,
  type PriceOverride,
  type Pricer,
} from '@spanlens/core';
import { auditActor } from '../auth/audit-admin-actions';
import type { PriceOverrideWatcher } from './price-override-watcher';

export interface PricesRoutesOptions {
  client: ClickHouseClient;
  database: string;
  pricer: Pricer;
  watcher: PriceOverrideWatcher;
  /** `pricing.models` of the config file. */
  configPrices: readonly CustomPrice[];
  logger: Logger;
}

/** A price as the API shows it: every field of a `pricing.models` entry, `provider` null for any provider. */
function shown(price: CustomPrice) {
  return { model: price.model, provider: price.provider ?? null, ...priceRates(price) };
}

/** The settings of a price for the audit log: names and rates, no personal data. */
function auditDetail(price: PriceOverride) {
  const { model: _model, ...rest } = shown(price);
  return { ...rest, price_version: overridePriceVersion(price.version) };
}

/** Text of at most `max` characters from the query string, or a problem. */
function queryText(value: unknown, name: string, max: number): { ok: true; value: string | undefined } | { ok: false; message: string } {
  if (value === undefined) return { ok: true, value: undefined };
  if (typeof value !== 'string' || value.length === 0 || value.length > max) return { ok: false, message: `${name}: expected text of 1 to ${max} characters` };
  return { ok: true, value };
}

/**
 * `/prices` under `/api/v1`: read scope for GET, admin for PUT and DELETE
 * (route-access: every write under /api is admin's). A change is stored in
 * ClickHouse (`price_overrides`), applied to this process's pricer before the
 * answer is sent, and recorded in the audit log with the model as its target;
 * other processes pick it up within 2 s (PriceOverrideWatcher).
 */
export function createPricesRouter(options: PricesRoutesOptions): Router {
  const { client, database, pricer, watcher, logger } = options;
  const router = Router();
  const json = express.json({ limit: '16kb' });

  const applicable = (model: string, provider: string | undefined) => ({ model, provider: provider ?? null, ...pricer.applicable(provider ?? '', model) });

  router.get('/prices', (req: Request, res: Response) => {
    const model = queryText(req.query.model, 'model', 256);
    const provider = queryText(req.query.provider, 'provider', 128);
    if (!model.ok) {
      res.status(400).json({ error: 'bad_request', message: model.message });
      return;
    }
    if (!provider.ok) {
      res.status(400).json({ error: 'bad_request', message: provider.message });
      return;
    }
    if (model.value !== undefined) {
      res.json(applicable(model.value, provider.value));
      return;
    }
    if (provider.value !== undefined) {
      res.status(400).json({ error: 'bad_request', message: 'provider: give model as well, to see which price applies to it' });
      return;
    }
    // Each entry is in force unless a price of higher precedence covers its model and provider.
    const inForce = (price: CustomPrice, version: string) => pricer.applicable(price.provider ?? '', price.model).price_version === version;
    // The body is the same for every poll until a price changes, so express's
    // ETag lets the language server revalidate it with a 304.
    const list: PriceList = {
      catalog_version: pricer.catalogVersion,
      overrides: [
        ...watcher.overrides.map((price) => {
          const version = overridePriceVersion(price.version);
          return { source: 'api' as const, ...shown(price), price_version: version, updated_at: price.updated_at, in_force: inForce(price, version) };
        }),
        ...options.configPrices.map((price) => {
          const version = configPriceVersion(price);
          return { source: 'config' as const, ...shown(price), price_version: version, updated_at: null, in_force: inForce(price, version) };
        }),
      ],
    };
    res.json(list);
  });

  const put = async (req: Request, res: Response) => {
    const body: unknown = req.body ?? {};
    const fromPath = typeof req.params.model === 'string' ? req.params.model : undefined;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.status(400).json({ error: 'bad_request', message: 'body: expected a JSON object of a price (model, provider?, input_per_mtok, output_per_mtok, …)' });
      return;
    }
    const named = (body as { model?: unknown }).model;
    if (fromPath !== undefined && named !== undefined && named !== fromPath) {
      res.status(400).json({ error: 'bad_request', message: `model: the body names ${JSON.stringify(named)} but the path ${JSON.stringify(fromPath)}` });
      return;
    }
    const parsed = priceOverrideInputSchema.safeParse(fromPath === undefined ? body : { ...body, model: fromPath });
    if (!parsed.success) {
      res.status(400).json({ error: 'bad_request', message: describePriceIssues(parsed.error) });
      return;
    }
    const stored = await storePriceOverride(client, database, parsed.data);
    // Applied here before the answer: the next span this process prices gets the new price.
    await watcher.refresh();
    await recordAudit(client, database, { actor: auditActor(res), action: 'price.set', target: stored.model, detail: auditDetail(stored) });
    logger.info({ model: stored.model, provider: stored.provider, price_version: overridePriceVersion(stored.version) }, 'price override set');
    res.json({ source: 'api', ...shown(stored), price_version: overridePriceVersion(stored.version), updated_at: stored.updated_at, applies: applicable(stored.model, stored.provider) });
  };
  router.put('/prices', json, put);
  router.put('/prices/:model', json, put);

  router.delete('/prices/:model', async (req: Request, res: Response) => {
    const model = String(req.params.model);
    const provider = queryText(req.query.provider, 'provider', 128);
    if (!provider.ok) {
      res.status(400).json({ error: 'bad_request', message: provider.message });
      return;
    }
    const removed = await deletePriceOverride(client, database, { model, provider: provider.value });
    if (!removed) {
      const which = provider.value === undefined ? 'for any provider' : `for provider ${JSON.stringify(provider.value)}`;
      res.status(404).json({ error: 'not_found', message: `no price override of model ${JSON.stringify(model)} ${which} was set through the API` });
      return;
    }
    await watcher.refresh();
    await recordAudit(client, database, { actor: auditActor(res), action: 'price.delete', target: model, detail: auditDetail(removed) });
    logger.info({ model, provider: provider.value, price_version: overridePriceVersion(removed.version) }, 'price override deleted');
    res.json({ deleted: { source: 'api', ...shown(removed), price_version: overridePriceVersion(removed.version) }, applies: applicable(model, provider.value) });
  });
  return router;
}
