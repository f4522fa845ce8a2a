import type { Request, Response } from 'express';
import type { ClickHouseClient } from '@clickhouse/client';
import { loadApiKeys } from '@spanlens/core';

/**
 * `GET /internal/v1/keys` (ingest scope once keys exist): the key table for
 * collectors and ingest workers that have no store, so they check keys
 * themselves. Names are left out; salts and scrypt hashes of 256-bit secrets
 * let a holder check a key, not find one.
 */
export function shareKeyTable(client: ClickHouseClient, database: string) {
  return async function keyTable(_req: Request, res: Response): Promise<void> {
    const records = await loadApiKeys(client, database);
    res.json({ keys: records.map((record) => ({ ...record, name: '' })) });
  };
}
