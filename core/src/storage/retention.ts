/**
 * Retention as ClickHouse TTLs, so expired data really disappears (in
 * background merges) rather than being filtered out: captured content after
 * `content_days` (the columns are emptied, the span stays), spans and
 * feedback after `spans_days`, rollups and their bookkeeping after
 * `rollups_days` (cost history outlives the raw spans). 0 keeps data forever.
 *
 * Applied when the server starts, and only where the table's TTL differs
 * from the configuration: changing a TTL rewrites the table's parts.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { RetentionConfig } from '../config/schema';
import { tableName, type SpanlensTable } from './tables';

interface TableTtl {
  table: SpanlensTable;
  /** The expression of the moment a row's clock starts. */
  since: string;
  days: (retention: RetentionConfig) => number;
}

const tableTtls: readonly TableTtl[] = [
  { table: 'llm_spans', since: 'toDateTime(start_time)', days: (r) => r.spans_days },
  { table: 'feedback', since: 'toDateTime(created_at)', days: (r) => r.spans_days },
  { table: 'llm_spans_hourly', since: 'hour', days: (r) => r.rollups_days },
  { table: 'span_hours_touched', since: 'hour', days: (r) => r.rollups_days },
  { table: 'rollup_snapshots', since: 'hour', days: (r) => r.rollups_days },
  { table: 'llm_spans_daily', since: 'toDateTime(day)', days: (r) => r.rollups_days },
  { table: 'daily_snapshots', since: 'toDateTime(day)', days: (r) => r.rollups_days },
];

const contentColumns = ['prompt_text', 'completion_text'] as const;

/** Returns the statements it ran (none when everything already matched). */
export async function applyRetention(client: ClickHouseClient, database: string, retention: RetentionConfig): Promise<string[]> {
  const ran: string[] = [];
  // The new TTL is recorded at once and applied to existing rows by a
  // background mutation: applying it inline rewrote every part before the
  // ALTER returned (15 s at 3M spans, 55 s at 10M, all of it at server start).
  const run = async (statement: string, table: SpanlensTable, options: { materialize: boolean }) => {
    await client.command({ query: statement, clickhouse_settings: { materialize_ttl_after_modify: 0 } });
    ran.push(statement);
    if (options.materialize) await client.command({ query: `ALTER TABLE ${tableName(database, table)} MATERIALIZE TTL`, clickhouse_settings: { mutations_sync: '0' } });
  };
  for (const { table, since, days } of tableTtls) {
    const create = await createQuery(client, database, table);
    const wanted = days(retention);
    const current = /\bTTL (.+?)(?:\s+SETTINGS\b|$)/s.exec(create.slice(create.indexOf('ENGINE =')))?.[1];
    if (wanted === 0) {
      if (current !== undefined) await run(`ALTER TABLE ${tableName(database, table)} REMOVE TTL`, table, { materialize: false });
    } else if (!current?.includes(`toIntervalDay(${wanted})`)) {
      await run(`ALTER TABLE ${tableName(database, table)} MODIFY TTL ${since} + INTERVAL ${wanted} DAY`, table, { materialize: true });
    }
  }
  const spans = await createQuery(client, database, 'llm_spans');
  for (const column of contentColumns) {
    const definition = new RegExp(`\`?${column}\`? String([^,]*)`).exec(spans)?.[1] ?? '';
    const wanted = retention.content_days;
    if (wanted === 0 ? definition.includes(' TTL ') : !definition.includes(`toIntervalDay(${wanted})`)) {
      // A removed TTL has nothing to apply.
      await run(
        wanted === 0
          ? `ALTER TABLE ${tableName(database, 'llm_spans')} MODIFY COLUMN ${column} REMOVE TTL`
          : `ALTER TABLE ${tableName(database, 'llm_spans')} MODIFY COLUMN ${column} String CODEC(ZSTD(3)) TTL toDateTime(start_time) + INTERVAL ${wanted} DAY`,
        'llm_spans',
        { materialize: wanted !== 0 },
      );
    }
  }
  return ran;
}

async function createQuery(client: ClickHouseClient, database: string, table: string): Promise<string> {
  const result = await client.query({
    query: 'SELECT create_table_query FROM system.tables WHERE database = {database:String} AND name = {table:String}',
    query_params: { database, table },
    format: 'JSONEachRow',
  });
  const [row] = await result.json<{ create_table_query: string }>();
  return row?.create_table_query ?? '';
}
