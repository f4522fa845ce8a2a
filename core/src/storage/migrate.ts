import type { ClickHouseClient } from '@clickhouse/client';
import { initialSchema } from './schema-v1';
import { feedbackRatings } from './schema-v2';
import { analyticsJobs } from './schema-v3';
import { alertState } from './schema-v4';
import { dailyRollup } from './schema-v5';
import { contentColumns } from './schema-v6';
import { erasureLog } from './schema-v7';
import { apiKeysAndAudit } from './schema-v8';
import { overviewRollupFigures } from './schema-v9';
import { erasureAggregates } from './schema-v10';
import { priceOverrides } from './schema-v11';
import { spanMergeCost } from './schema-v12';
import { StorageError } from './storage-error';
import { quotedDatabase, tableName } from './tables';

/**
 * One SQL statement, or one that runs only where the store knows a MergeTree
 * setting (ClickHouse servers older than the setting skip it).
 */
export type MigrationStatement = string | { query: string; onlyWithMergeTreeSetting: string };

export interface Migration {
  /** Applied in ascending order; never renumber a released migration. */
  version: number;
  name: string;
  /** The SQL to run, in order, for a given database. */
  statements(database: string): MigrationStatement[];
}

export const migrations: readonly Migration[] = [
  { version: 1, name: 'initial_schema', statements: initialSchema },
  { version: 2, name: 'feedback_ratings', statements: feedbackRatings },
  { version: 3, name: 'analytics_jobs', statements: analyticsJobs },
  { version: 4, name: 'alert_state', statements: alertState },
  { version: 5, name: 'daily_rollup', statements: dailyRollup },
  { version: 6, name: 'content_columns', statements: contentColumns },
  { version: 7, name: 'erasure_log', statements: erasureLog },
  { version: 8, name: 'api_keys_and_audit', statements: apiKeysAndAudit },
  { version: 9, name: 'overview_rollup_figures', statements: overviewRollupFigures },
  { version: 10, name: 'erasure_aggregates', statements: erasureAggregates },
  { version: 11, name: 'price_overrides', statements: priceOverrides },
  { version: 12, name: 'span_merge_cost', statements: spanMergeCost },
];

/**
 * Brings `database` up to the latest schema. Each migration runs once and is
 * then recorded in `schema_migrations`; statements are idempotent as well, so
 * two processes migrating at the same time, or a rerun after a crash between
 * a statement and its record, end in the same schema. Returns the versions
 * this call applied: empty when the schema was already current.
 */
export async function migrate(
  client: ClickHouseClient,
  database: string,
  list: readonly Migration[] = migrations,
): Promise<number[]> {
  assertOrdered(list);
  const ledger = tableName(database, 'schema_migrations');
  await run(client, `CREATE DATABASE IF NOT EXISTS ${quotedDatabase(database)}`, 'schema_migrations');
  await run(
    client,
    `CREATE TABLE IF NOT EXISTS ${ledger} (
      version UInt32,
      name String,
      applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplacingMergeTree(applied_at) ORDER BY version`,
    'schema_migrations',
  );
  const result = await client.query({ query: `SELECT DISTINCT version FROM ${ledger}`, format: 'JSONEachRow' });
  const done = new Set((await result.json<{ version: number | string }>()).map((row) => Number(row.version)));

  const applied: number[] = [];
  for (const migration of list) {
    if (done.has(migration.version)) continue;
    const label = `${migration.version} (${migration.name})`;
    for (const statement of migration.statements(database)) {
      if (typeof statement === 'string') await run(client, statement, label);
      else if (await knowsMergeTreeSetting(client, statement.onlyWithMergeTreeSetting)) await run(client, statement.query, label);
    }
    await client.insert({
      table: ledger,
      values: [{ version: migration.version, name: migration.name }],
      format: 'JSONEachRow',
      columns: ['version', 'name'],
    });
    applied.push(migration.version);
  }
  return applied;
}

async function run(client: ClickHouseClient, query: string, label: string): Promise<void> {
  try {
    await client.command({ query });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StorageError('MIGRATION_FAILED', `migration ${label} failed: ${reason}`, { cause: error });
  }
}

async function knowsMergeTreeSetting(client: ClickHouseClient, name: string): Promise<boolean> {
  const result = await client.query({ query: 'SELECT count() AS n FROM system.merge_tree_settings WHERE name = {name:String}', query_params: { name }, format: 'JSONEachRow' });
  return Number((await result.json<{ n: number | string }>())[0]?.n ?? 0) > 0;
}

function assertOrdered(list: readonly Migration[]): void {
  list.forEach((migration, index) => {
    const previous = list[index - 1];
    if (!Number.isInteger(migration.version) || migration.version < 1 || (previous && previous.version >= migration.version)) {
      throw new StorageError('MIGRATION_FAILED', `migration versions must be positive integers in ascending order (at ${migration.version} ${migration.name})`);
    }
  });
}
