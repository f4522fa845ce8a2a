import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { createPricer, type PriceInput, type PriceOverride, type Pricer } from '@spanlens/core';
import { ownerPriceSource } from './owner-price-source';
import { PriceOverrideWatcher } from './price-override-watcher';
import { createPriceSyncRouter } from './price-sync-routes';

const million: PriceInput = { provider: 'openai', model: 'gpt-4o', input_tokens: 1_000_000, output_tokens: 1_000_000, cache_read_tokens: 0, cache_write_tokens: 0, reasoning_tokens: 0, at: new Date('2026-11-01T00:00:00Z') };
const override = (input: number, output: number, version: number): PriceOverride => ({ model: 'gpt-4o', input_per_mtok: input, output_per_mtok: output, per_call_usd: 0, updated_at: '2026-11-01T00:00:00.000Z', version });

/** A pricer that counts how often its overrides were replaced (each replacement empties its cache). */
function countingPricer(): { pricer: Pricer; replaced: () => number } {
  const pricer = createPricer({ customPrices: [] });
  let replaced = 0;
  const setOverrides = pricer.setOverrides.bind(pricer);
  pricer.setOverrides = (list) => {
    replaced += 1;
    setOverrides(list);
  };
  return { pricer, replaced: () => replaced };
}

/** An owner as start.ts wires it: a watcher on its store (here a list in memory) behind the /internal/v1/prices routes; it counts the calls. */
async function startOwner(table: { overrides: PriceOverride[] }) {
  const watcher = new PriceOverrideWatcher({ pricer: createPricer({ customPrices: [] }), source: { read: async () => [...table.overrides] }, pollIntervalMs: 60_000 });
  await watcher.start();
  const calls = { state: 0, list: 0 };
  const app = express();
  app.use((req, res, next) => {
    if (req.headers.authorization !== 'Bearer ingest-key') return void res.status(401).json({ error: 'unauthorized' });
    if (req.path === '/internal/v1/prices/state') calls.state += 1;
    if (req.path === '/internal/v1/prices') calls.list += 1;
    next();
  });
  app.use(createPriceSyncRouter({ watcher }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { watcher, calls, url, close: async () => { await watcher.stop(); await new Promise((resolve) => server.close(resolve)); } };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('PriceOverrideWatcher', () => {
  it('prices with the owner\'s overrides from the start, and with a changed one after its next poll, reading the list only when the revision moved', async () => {
    const table = { overrides: [override(1, 2, 100)] };
    const owner = await startOwner(table);
    cleanups.push(owner.close);
    const { pricer, replaced } = countingPricer();
    const collector = new PriceOverrideWatcher({ pricer, source: ownerPriceSource({ ownerUrl: owner.url, apiKey: 'ingest-key' }), pollIntervalMs: 60_000 });
    await collector.start();
    cleanups.push(() => collector.stop());
    expect(pricer.price(million)).toMatchObject({ cost_usd: 3, price_version: 'override:100' });
    expect(owner.calls).toEqual({ state: 0, list: 1 });

    // Nothing changed: the collector reads the revision only, and keeps its pricer (and cache) as it was.
    await collector.poll();
    await collector.poll();
    expect(owner.calls).toEqual({ state: 2, list: 1 });
    expect(replaced()).toBe(1);

    // Set on the owner: the collector prices with it after its next poll, not before.
    table.overrides = [override(4, 8, 101)];
    await owner.watcher.refresh();
    expect(pricer.price(million).cost_usd).toBe(3);
    await collector.poll();
    expect(pricer.price(million)).toMatchObject({ cost_usd: 12, price_version: 'override:101' });
    expect(owner.calls).toEqual({ state: 3, list: 2 });

    // Deleted on the owner: back to the catalogue ($2.50 in, $10 out per million).
    table.overrides = [];
    await owner.watcher.refresh();
    await collector.poll();
    expect(pricer.price(million).cost_usd).toBeCloseTo(12.5, 9);
    expect(pricer.price(million).price_version).toBe(pricer.catalogVersion);
    expect(replaced()).toBe(3);
  });

  it('polls by itself every interval', async () => {
    const table = { overrides: [] as PriceOverride[] };
    const owner = await startOwner(table);
    cleanups.push(owner.close);
    const pricer = createPricer({ customPrices: [] });
    const collector = new PriceOverrideWatcher({ pricer, source: ownerPriceSource({ ownerUrl: owner.url, apiKey: 'ingest-key' }), pollIntervalMs: 50 });
    await collector.start();
    cleanups.push(() => collector.stop());
    table.overrides = [override(1, 1, 200)];
    await owner.watcher.refresh();
    const until = Date.now() + 5_000;
    while (pricer.price(million).cost_usd !== 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(pricer.price(million).price_version).toBe('override:200');
  });

  it('keeps the last overrides when the owner cannot be reached, and says which setting to set when it refuses the key', async () => {
    const table = { overrides: [override(1, 2, 300)] };
    const owner = await startOwner(table);
    const errors: unknown[] = [];
    const pricer = createPricer({ customPrices: [] });
    const collector = new PriceOverrideWatcher({ pricer, source: ownerPriceSource({ ownerUrl: owner.url, apiKey: 'ingest-key' }), pollIntervalMs: 60_000, onPollError: (error) => errors.push(error) });
    await collector.start();
    cleanups.push(() => collector.stop());
    await owner.close();
    await collector.poll();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toMatch(/did not answer/);
    expect(pricer.price(million).cost_usd).toBe(3);

    const other = await startOwner(table);
    cleanups.push(other.close);
    const refused = new PriceOverrideWatcher({ pricer: createPricer({ customPrices: [] }), source: ownerPriceSource({ ownerUrl: other.url, apiKey: 'wrong' }) });
    await expect(refused.start()).rejects.toThrow(/answered 401 .*set auth\.api_key \(SPANLENS_API_KEY\) to an internal key/);
  });

  it('does not let a read that started before a write overwrite what the write applied', async () => {
    let release: (list: PriceOverride[]) => void = () => {};
    const reads: Array<() => Promise<PriceOverride[]>> = [
      async () => [],
      // A poll's read, slow, that saw the table before the write…
      () => new Promise((resolve) => (release = resolve)),
      // …and the read right after the write.
      async () => [override(9, 9, 400)],
    ];
    const pricer = createPricer({ customPrices: [] });
    const watcher = new PriceOverrideWatcher({ pricer, source: { read: () => reads.shift()!() }, pollIntervalMs: 60_000 });
    await watcher.start();
    const polling = watcher.poll();
    await watcher.refresh();
    expect(pricer.price(million).cost_usd).toBe(18);
    release([]);
    await polling;
    expect(pricer.price(million)).toMatchObject({ cost_usd: 18, price_version: 'override:400' });
    await watcher.stop();
  });
});
