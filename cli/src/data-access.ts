import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, openClickHouse, type SpanlensConfig } from '@spanlens/core';
import { runningServerUrl } from './server-file';

/**
 * How a CLI command reaches the data: through the API of the server that owns
 * the embedded directory when one runs, otherwise by opening the store itself
 * (the embedded directory, or the ClickHouse server of SPANLENS_CLICKHOUSE_URL).
 */
export type DataAccess = ({ via: 'api' } & ApiTarget) | { via: 'store' };

/** A running server's API and the key to present to it (auth.api_key, SPANLENS_API_KEY), if any. */
export interface ApiTarget {
  url: string;
  key?: string;
}

export async function chooseDataAccess(config: SpanlensConfig): Promise<DataAccess> {
  if (config.storage.clickhouse.url) return { via: 'store' };
  const url = await runningServerUrl(config.storage.data_dir);
  return url ? { via: 'api', url, ...(config.auth.api_key ? { key: config.auth.api_key } : {}) } : { via: 'store' };
}

/** Headers that carry the key of `target`, for commands that call fetch themselves. */
export function apiKeyHeaders(target: string | ApiTarget): Record<string, string> {
  return typeof target !== 'string' && target.key ? { authorization: `Bearer ${target.key}` } : {};
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
export async function callApi<T>(target: string | ApiTarget, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const url = typeof target === 'string' ? target : target.url;
  const response = await fetch(new URL(path, url), {
    method: init.method ?? 'GET',
    headers: { ...apiKeyHeaders(target), ...(init.body === undefined ? {} : { 'content-type': 'application/json' }) },
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
    const hint = response.status === 401 || response.status === 403 ? ' (set SPANLENS_API_KEY to a key whose scope allows this)' : '';
    throw new Error(`the server at ${url} answered ${response.status}: ${message}${hint}`);
  }
  return JSON.parse(text) as T;
}
