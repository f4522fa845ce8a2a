import type { ClickHouseClient } from '@clickhouse/client';
import { ApiKeyVerifier, loadApiKeys, openClickHouse, type ApiKeyRecord, type Logger, type SpanlensConfig } from '@spanlens/core';

export interface ProcessKeys {
  verifier: ApiKeyVerifier;
  /** Where this process reads keys from, for the start-up log. */
  source: 'store' | 'clickhouse' | 'owner' | 'none';
  close(): Promise<void>;
}

/**
 * The key table this process checks requests against. A process with a store
 * reads it there; one without reads it from the ClickHouse server when one is
 * configured, or else from the process that owns the embedded store
 * (storage.owner_url). A process with none of these cannot check keys, and
 * so runs open and on loopback only.
 */
export async function startProcessKeys(options: { client: ClickHouseClient | undefined; config: SpanlensConfig; logger: Logger }): Promise<ProcessKeys> {
  const { config, logger } = options;
  const database = config.storage.database;
  const onReloadError = (error: unknown) => logger.warn({ err: error }, 'API keys could not be re-read; the last table read stays in force');
  if (options.client) {
    const client = options.client;
    const verifier = new ApiKeyVerifier({ load: () => loadApiKeys(client, database), onReloadError });
    await verifier.start();
    return { verifier, source: 'store', close: async () => verifier.stop() };
  }
  if (config.storage.clickhouse.url) {
    const client = await openClickHouse(config.storage);
    // The table appears with the owner's migration; until then there are no keys.
    const load = () => loadApiKeys(client, database).catch((error: Error) => (/UNKNOWN_TABLE|UNKNOWN_DATABASE|doesn't exist|does not exist/i.test(error.message) ? [] : Promise.reject(error)));
    const verifier = new ApiKeyVerifier({ load, onReloadError });
    await verifier.start();
    return { verifier, source: 'clickhouse', close: async () => { await verifier.stop(); await client.close(); } };
  }
  const ownerUrl = config.storage.owner_url;
  if (ownerUrl) {
    const verifier = new ApiKeyVerifier({ load: () => keysFromOwner(ownerUrl, config.auth.api_key), onReloadError });
    await verifier.start();
    return { verifier, source: 'owner', close: async () => verifier.stop() };
  }
  const verifier = new ApiKeyVerifier({ load: async () => [] });
  await verifier.start();
  return { verifier, source: 'none', close: async () => verifier.stop() };
}

/**
 * The key table of the process that owns the embedded store
 * (`GET /internal/v1/keys`, ingest scope once keys exist): salts and scrypt
 * hashes, which let this process check keys but not make one.
 */
async function keysFromOwner(ownerUrl: string, apiKey: string | undefined): Promise<ApiKeyRecord[]> {
  const url = new URL('/internal/v1/keys', ownerUrl);
  const response = await fetch(url, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, signal: AbortSignal.timeout(10_000) });
  if (response.status === 401 || response.status === 403) {
    throw new Error(`storage.owner_url (${url.origin}) refused to share its API keys (${response.status}): set auth.api_key (SPANLENS_API_KEY) to an ingest key`);
  }
  if (!response.ok) throw new Error(`storage.owner_url (${url.origin}) answered ${response.status} to ${url.pathname}`);
  return ((await response.json()) as { keys: ApiKeyRecord[] }).keys;
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
