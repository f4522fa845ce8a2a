import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { migrate } from './migrate';
import { openClickHouse } from './open-clickhouse';

export interface TestStore {
  client: ClickHouseClient;
  database: string;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A migrated embedded store in a fresh temporary directory. chDB binds one
 * data directory per process, so a test file opens exactly one of these.
 */
export async function openTestStore(database = 'spanlens_test'): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spanlens-storage-test-'));
  const client = await openClickHouse({ data_dir: dataDir, database, clickhouse: { user: 'default', password: '' } });
  await migrate(client, database);
  return {
    client,
    database,
    dataDir,
    async close() {
      await client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Rows of a query as plain objects; 64-bit integers may arrive as strings. */
export async function selectRows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}
