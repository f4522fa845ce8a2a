import type { ClickHouseClient } from '@clickhouse/client';
import { loadPriceOverrides, openClickHouse, type Logger, type Pricer, type SpanlensConfig } from '@spanlens/core';
import { ownerPriceSource } from './owner-price-source';
import { PriceOverrideWatcher } from './price-override-watcher';
import { emptyUntilMigrated } from '../until-migrated';

export interface ProcessPrices {
  /** Absent in a process with nowhere to read overrides from: it prices with the config file and the catalogue. */
  watcher: PriceOverrideWatcher | undefined;
  /** Where this process reads overrides from, for the start-up log. */
  source: 'store' | 'clickhouse' | 'owner' | 'none';
  close(): Promise<void>;
}

/**
 * Where this process learns the price overrides set through the API, read
 * once before it prices a span and then every 2 s: its own store; else the
 * ClickHouse server (a collector with SPANLENS_CLICKHOUSE_URL); else the
 * process that owns the embedded store (storage.owner_url, with an internal
 * key). Mirrors startProcessKeys, which finds API keys the same way. A
 * process with a store reads them even when it prices nothing: it serves
 * them to the API and to its collectors.
 */
export async function startProcessPrices(options: { client: ClickHouseClient | undefined; config: SpanlensConfig; pricer: Pricer; logger: Logger; pricesSpans: boolean }): Promise<ProcessPrices> {
  const { config, pricer, logger } = options;
  // An ingest worker without a store prices nothing (collectors price before Kafka) and serves no prices.
  if (!options.client && !options.pricesSpans) return { watcher: undefined, source: 'none', close: async () => {} };
  const database = config.storage.database;
  const onPollError = (error: unknown) => logger.warn({ err: error }, 'price overrides could not be re-read; the last ones read stay in force');
  if (options.client) {
    const client = options.client;
    const watcher = new PriceOverrideWatcher({ pricer, source: { read: () => loadPriceOverrides(client, database) }, onPollError });
    await watcher.start();
    return { watcher, source: 'store', close: async () => watcher.stop() };
  }
  if (config.storage.clickhouse.url) {
    const client = await openClickHouse(config.storage);
    const read = emptyUntilMigrated(() => loadPriceOverrides(client, database));
    const watcher = new PriceOverrideWatcher({ pricer, source: { read }, onPollError });
    try {
      await watcher.start();
    } catch (error) {
      await client.close();
      throw error;
    }
    return { watcher, source: 'clickhouse', close: async () => { await watcher.stop(); await client.close(); } };
  }
  const ownerUrl = config.storage.owner_url;
  if (ownerUrl) {
    const watcher = new PriceOverrideWatcher({ pricer, source: ownerPriceSource({ ownerUrl, apiKey: config.auth.api_key }), onPollError });
    await watcher.start();
    return { watcher, source: 'owner', close: async () => watcher.stop() };
  }
  return { watcher: undefined, source: 'none', close: async () => {} };
}
