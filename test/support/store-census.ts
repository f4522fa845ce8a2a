/**
 * Run as its own process after the store's owner has stopped (chDB binds a
 * data directory to one process): prints what the embedded store holds for a
 * feature, counted straight from the table and independently of the API.
 *   node --import tsx test/support/store-census.ts <dataDir> <database> <feature>
 */
import { openClickHouse, tableName } from '@spanlens/core';

const [dataDir, database, feature] = process.argv.slice(2) as [string, string, string];
const client = await openClickHouse({ data_dir: dataDir, database, clickhouse: { user: 'default', password: '' } });
try {
  const table = tableName(database, 'llm_spans');
  const result = await client.query({
    query: `SELECT count() AS rows, groupUniqArray(span_id) AS span_ids FROM ${table} WHERE feature = {feature:String}`,
    query_params: { feature },
    format: 'JSONEachRow',
  });
  const [row] = (await result.json()) as Array<{ rows: string; span_ids: string[] }>;
  // Cost summed once per span id in exact decimals, as a second method beside the API's.
  const cost = await client.query({
    query: `SELECT toString(sum(toDecimal128(cost_usd, 12))) AS cost FROM (SELECT span_id, any(cost_usd) AS cost_usd FROM ${table} WHERE feature = {feature:String} GROUP BY span_id)`,
    query_params: { feature },
    format: 'JSONEachRow',
  });
  const [costRow] = (await cost.json()) as Array<{ cost: string }>;
  process.stdout.write(JSON.stringify({ rows: Number(row?.rows ?? 0), spanIds: (row?.span_ids ?? []).sort(), costUsd: Number(costRow?.cost ?? 0) }));
} finally {
  await client.close();
}
