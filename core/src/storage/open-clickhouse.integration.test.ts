import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openClickHouse, redactUrl } from './open-clickhouse';
import { StorageError } from './storage-error';

const scratch = mkdtempSync(join(tmpdir(), 'spanlens-open-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const storage = (overrides: { data_dir?: string; database?: string; url?: string; password?: string } = {}) => ({
  data_dir: overrides.data_dir ?? join(scratch, 'data'),
  database: overrides.database ?? 'open_test',
  clickhouse: { url: overrides.url, user: 'default', password: overrides.password ?? '' },
});

describe('openClickHouse', () => {
  it('creates the data directory and the database', async () => {
    const client = await openClickHouse(storage({ data_dir: join(scratch, 'data', 'nested') }));
    const rows = await (await client.query({ query: "SELECT name FROM system.databases WHERE name = 'open_test'", format: 'JSONEachRow' })).json();
    expect(rows).toEqual([{ name: 'open_test' }]);
    // chDB allows one data directory per process; a second is a clear error.
    await expect(openClickHouse(storage({ data_dir: join(scratch, 'other') }))).rejects.toMatchObject({ code: 'DATA_DIR_UNAVAILABLE' });
    await client.close();
  });

  it('names the data directory it cannot create', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, 'not a directory');
    const attempt = openClickHouse(storage({ data_dir: join(file, 'data') }));
    await expect(attempt).rejects.toBeInstanceOf(StorageError);
    await expect(attempt).rejects.toMatchObject({ code: 'DATA_DIR_NOT_WRITABLE', status: 503, message: expect.stringContaining(join(file, 'data')) });
  });

  it('names the server it cannot reach, without its credentials', async () => {
    const attempt = openClickHouse(storage({ url: 'http://spanlens:s3cret@127.0.0.1:1' }));
    await expect(attempt).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE', message: expect.stringContaining('127.0.0.1:1') });
    await expect(attempt).rejects.not.toMatchObject({ message: expect.stringContaining('s3cret') });
  });

  it('refuses a database name that is not an identifier', async () => {
    await expect(openClickHouse(storage({ database: 'a-b' }))).rejects.toMatchObject({ code: 'INVALID_IDENTIFIER' });
  });
});

describe('redactUrl', () => {
  it('hides the user and password of a URL', () => {
    expect(redactUrl('https://bob:pw@db.internal:8443/?x=1')).toBe('https://***@db.internal:8443/');
    expect(redactUrl('http://127.0.0.1:8123')).toBe('http://127.0.0.1:8123/');
    expect(redactUrl('not a url')).toBe('(an invalid URL)');
  });
});
