import type { ClickHouseClient } from '@clickhouse/client';
import { ApiKeyVerifier, loadApiKeys, openClickHouse, type Logger, type SpanlensConfig } from '@spanlens/core';
import { OwnerKeyVerifier, type PresentedKeyCheck } from './owner-key-verifier';
import { emptyUntilMigrated } from '../until-migrated';

export interface ProcessKeys {
  /** What the check in front of every route asks. */
  verifier: PresentedKeyCheck;
  /** The key table itself, in a process that reads it (from its store or the ClickHouse server); not in one that asks the owner. */
  table: ApiKeyVerifier | undefined;
  /** Where this process reads keys from, for the start-up log. */
  source: 'store' | 'clickhouse' | 'owner' | 'none';
  close(): Promise<void>;
}

/**
 * How this process checks presented keys. A process with a store reads the
 * key table there; one without reads it from the ClickHouse server when one
 * is configured (it holds the server's credentials anyway), or else asks the
 * process that owns the embedded store (storage.owner_url) to verify each
 * key, never seeing the table (see OwnerKeyVerifier). A process with none of
 * these cannot check keys, and so runs open and on loopback only.
 */
export async function startProcessKeys(options: { client: ClickHouseClient | undefined; config: SpanlensConfig; logger: Logger }): Promise<ProcessKeys> {
  const { config, logger } = options;
  const database = config.storage.database;
  const onReloadError = (error: unknown) => logger.warn({ err: error }, 'API keys could not be re-read; the last table read stays in force');
  if (options.client) {
    const client = options.client;
    const verifier = new ApiKeyVerifier({ load: () => loadApiKeys(client, database), onReloadError });
    await verifier.start();
    return { verifier, table: verifier, source: 'store', close: async () => verifier.stop() };
  }
  if (config.storage.clickhouse.url) {
    const client = await openClickHouse(config.storage);
    const load = emptyUntilMigrated(() => loadApiKeys(client, database));
    const verifier = new ApiKeyVerifier({ load, onReloadError });
    await verifier.start();
    return { verifier, table: verifier, source: 'clickhouse', close: async () => { await verifier.stop(); await client.close(); } };
  }
  const ownerUrl = config.storage.owner_url;
  if (ownerUrl) {
    const verifier = new OwnerKeyVerifier({
      ownerUrl,
      apiKey: config.auth.api_key,
      onPollError: (error) => logger.warn({ err: error }, 'the store owner\'s API key state could not be read; the last state read stays in force'),
    });
    await verifier.start();
    return { verifier, table: undefined, source: 'owner', close: async () => verifier.stop() };
  }
  const verifier = new ApiKeyVerifier({ load: async () => [] });
  await verifier.start();
  return { verifier, table: undefined, source: 'none', close: async () => verifier.stop() };
}

/** 127.0.0.0/8, ::1 and localhost: addresses only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return bare === 'localhost' || bare === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(bare) || bare === '::ffff:127.0.0.1';
}

/**
 * Without keys every route is open, so the server may only listen where no
 * one else can reach it. Returns the refusal, naming the setting, or undefined.
 */
export function bindProblem(host: string, keysExist: boolean, source: ProcessKeys['source']): string | undefined {
  if (keysExist || isLoopbackHost(host)) return undefined;
  const why = source === 'none'
    ? 'this process has no store to read API keys from (set SPANLENS_STORAGE_OWNER_URL or SPANLENS_CLICKHOUSE_URL so it can), so every route would be open'
    : 'no API keys exist, so every route would be open';
  return `server.host (SPANLENS_HOST) is ${host}, but ${why}. Create a key first (pnpm spanlens keys create --scope admin) or listen on 127.0.0.1.`;
}
