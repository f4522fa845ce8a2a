/**
 * Run as its own process after the store's owner has stopped (chDB binds a
 * data directory to one process): prints what the embedded store holds,
 * counted straight from the tables and independently of the API.
 *   node --import tsx test/support/store-census.ts <dataDir> <database> spans <feature>
 *   node --import tsx test/support/store-census.ts <dataDir> <database> feedback <trace id>
 *   node --import tsx test/support/store-census.ts <dataDir> <database> dump -   (every row of every table, as text)
 */
import { openClickHouse, tableName } from '@spanlens/core';

const [dataDir, database, kind, key] = process.argv.slice(2) as [string, string, 'spans' | 'feedback' | 'dump', string];
const client = await openClickHouse({ data_dir: dataDir, database, clickhouse: { user: 'default', password: '' } });

async function rows<T>(query: string): Promise<T[]> {
  const result = await client.query({ query, query_params: { key }, format: 'JSONEachRow' });
  return (await result.json()) as T[];
}

try {
  if (kind === 'dump') {
    // Everything stored, for searching: every table of the database, rows as JSON lines.
    const tables = await rows<{ name: string }>(`SELECT name FROM system.tables WHERE database = '${database}' ORDER BY name`);
    for (const { name } of tables) {
      const result = await client.query({ query: `SELECT * FROM ${tableName(database, name as Parameters<typeof tableName>[1])}`, format: 'JSONEachRow' });
      process.stdout.write(`== ${name}\n${await result.text()}`);
    }
  } else if (kind === 'spans') {
    const table = tableName(database, 'llm_spans');
    const [row] = await rows<{ rows: string; span_ids: string[] }>(`SELECT count() AS rows, groupUniqArray(span_id) AS span_ids FROM ${table} WHERE feature = {key:String}`);
    // Cost summed once per span id in exact decimals, as a second method beside the API's.
    const [cost] = await rows<{ cost: string }>(
      `SELECT toString(sum(toDecimal128(cost_usd, 12))) AS cost FROM (SELECT span_id, any(cost_usd) AS cost_usd FROM ${table} WHERE feature = {key:String} GROUP BY span_id)`,
    );
    process.stdout.write(JSON.stringify({ rows: Number(row?.rows ?? 0), spanIds: (row?.span_ids ?? []).sort(), costUsd: Number(cost?.cost ?? 0) }));
  } else {
    // The latest version of each feedback id, as readers see it.
    const items = await rows<{ feedback_id: string; span_id: string; user_id: string; score: number; comment: string }>(
      `SELECT feedback_id, argMax(span_id, received_at) AS span_id, argMax(user_id, received_at) AS user_id, argMax(score, received_at) AS score, argMax(comment, received_at) AS comment
       FROM ${tableName(database, 'feedback')} WHERE trace_id = {key:String} GROUP BY feedback_id ORDER BY user_id, span_id`,
    );
    process.stdout.write(JSON.stringify({ feedback: items }));
  }
} finally {
  await client.close();
}
