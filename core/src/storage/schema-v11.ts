import { tableName } from './tables';

/**
 * Model prices set through the API (`PUT /api/v1/prices`), which win over
 * `pricing.models` of the config file and over the catalogue.
 *
 * One row per change: setting a price writes its rates with a higher
 * version, deleting it writes a tombstone (`deleted = 1`) with a higher
 * version still. Readers take each (model, provider) pair's latest row and
 * drop tombstones; merges keep only that row. `provider` is empty for a price
 * that applies whatever the provider. The table is tiny and read whole.
 */
export function priceOverrides(database: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${tableName(database, 'price_overrides')} (
      model String,
      provider String,
      input_per_mtok Float64,
      output_per_mtok Float64,
      cache_read_per_mtok Nullable(Float64),
      cache_write_per_mtok Nullable(Float64),
      reasoning_per_mtok Nullable(Float64),
      per_call_usd Float64,
      deleted UInt8,
      updated_at DateTime64(3, 'UTC'),
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY (model, provider)`,
  ];
}
