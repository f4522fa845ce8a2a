import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, openClickHouse, type SpanlensConfig } from '@spanlens/core';
import { runningServerUrl } from './server-file';

/**
 * How a CLI command reaches the data: through the API of the server that owns
 * the embedded directory when one runs, otherwise by opening the store itself
 * (the embedded directory, or the ClickHouse server of SPANLENS_CLICKHOUSE_URL).
 */
export type DataAccess = { via: 'api'; url: string } | { via: 'store' };

export async function chooseDataAccess(config: SpanlensConfig): Promise<DataAccess> {
  if (config.storage.clickhouse.url) return { via: 'store' };
  const url = await runningServerUrl(config.storage.data_dir);
  return url ? { via: 'api', url } : { via: 'store' };
}

/** Opens and migrates the store, runs `work`, and closes the store whatever happens. */
export async function withStore<T>(config: SpanlensConfig, work: (store: { client: ClickHouseClient; database: string }) => Promise<T>): Promise<T> {
  const client = await openClickHouse(config.storage);
  try {
    await migrate(client, config.storage.database);
    return await work({ client, database: config.storage.database });
  } finally {
    await client.close();
  }
}

/** A JSON API call for a CLI command; a non-2xx answer becomes an error carrying the server's message. */
export async function callApi<T>(url: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await fetch(new URL(path, url), {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // not JSON: keep the text
    }
    throw new Error(`the server at ${url} answered ${response.status}: ${message}`);
  }
  return JSON.parse(text) as T;
}
