import { mkdirSync, accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';
import { createClient, type ClickHouseClient, type ClickHouseClientConfigOptions } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import type { StorageConfig } from '../config/schema';
import { StorageError } from './storage-error';
import { quotedDatabase } from './tables';

/**
 * Opens the store the config names and makes sure its database exists:
 * a ClickHouse server when `storage.clickhouse.url` is set, otherwise chDB
 * in-process on `storage.data_dir`. Both are the same `@clickhouse/client`,
 * so callers write one SQL. Tables are created by `migrate`, not here.
 */
export async function openClickHouse(storage: StorageConfig): Promise<ClickHouseClient> {
  const database = quotedDatabase(storage.database);
  const url = storage.clickhouse.url;
  const client = url ? await openServer(url, storage) : openEmbedded(storage.data_dir);
  try {
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
  } catch (error) {
    await client.close();
    const where = url ? `the ClickHouse server at ${redactUrl(url)}` : `the data directory ${resolve(storage.data_dir)}`;
    throw new StorageError('DATABASE_SETUP_FAILED', `cannot create database "${database}" (storage.database) in ${where}: ${reasonOf(error)}`, { cause: error });
  }
  return client;
}

const embeddedDirs = new WeakMap<ClickHouseClient, string>();

/** The absolute chDB data directory of a client `openClickHouse` opened in-process; undefined for a ClickHouse server. */
export function embeddedDataDir(client: ClickHouseClient): string | undefined {
  return embeddedDirs.get(client);
}

function openEmbedded(dataDir: string): ClickHouseClient {
  const path = resolve(dataDir);
  try {
    mkdirSync(path, { recursive: true });
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw new StorageError('DATA_DIR_NOT_WRITABLE', `the data directory ${path} (storage.data_dir, SPANLENS_DATA_DIR) cannot be created or written: ${reasonOf(error)}`, { cause: error });
  }
  try {
    // chdb types its Connection against @clickhouse/client-common, whose
    // settings list differs slightly from the one bundled in @clickhouse/client;
    // the runtime contract is the same.
    const connection = createChdbConnection({ path }) as unknown as ClickHouseClientConfigOptions['connection'];
    const client = createClient({ connection });
    embeddedDirs.set(client, path);
    return client;
  } catch (error) {
    // chDB binds one data directory per process; a second one is refused.
    throw new StorageError('DATA_DIR_UNAVAILABLE', `cannot open the data directory ${path} (storage.data_dir): ${reasonOf(error)}. This process may already use another data directory.`, { cause: error });
  }
}

async function openServer(url: string, storage: StorageConfig): Promise<ClickHouseClient> {
  const client = createClient({ url, username: storage.clickhouse.user, password: storage.clickhouse.password });
  const ping = await client.ping();
  if (!ping.success) {
    await client.close();
    throw new StorageError('SERVER_UNREACHABLE', `cannot reach the ClickHouse server at ${redactUrl(url)} (storage.clickhouse.url, SPANLENS_CLICKHOUSE_URL): ${reasonOf(ping.error)}`, { cause: ping.error });
  }
  return client;
}

/** A URL may carry credentials; they must never reach a message or a log. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '(an invalid URL)';
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
