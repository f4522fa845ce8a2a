import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiKeyVerifier, type ApiKeyRecord } from '@spanlens/core';
import { makeApiKeyRecord } from '@spanlens/core/testing';
import { createKeyVerificationRouter } from './key-verification-routes';
import { OwnerKeyVerifier } from './owner-key-verifier';
import { createRequireKey } from './require-key';

/** An owner as start.ts wires it: the key check in front, the verification routes behind; it counts the verifications asked of it. */
async function startOwner(table: { records: ApiKeyRecord[] }) {
  const keys = new ApiKeyVerifier({ load: async () => table.records, reloadIntervalMs: 60_000 });
  await keys.start();
  const asked = { verify: 0 };
  const app = express();
  app.use(createRequireKey(keys));
  app.use((req, _res, next) => {
    if (req.path === '/internal/v1/keys/verify') asked.verify += 1;
    next();
  });
  app.use(createKeyVerificationRouter({ verifier: keys }));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async () => {
    await keys.stop();
    await new Promise((resolve) => server.close(resolve));
  };
  return { keys, asked, url, close };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe('OwnerKeyVerifier', () => {
  it('asks the owner once per key, and refuses a key revoked there after its next poll', async () => {
    const own = await makeApiKeyRecord('internal');
    const app = await makeApiKeyRecord('ingest');
    const table = { records: [own.record, app.record] };
    const owner = await startOwner(table);
    cleanups.push(owner.close);
    const verifier = new OwnerKeyVerifier({ ownerUrl: owner.url, apiKey: own.key, pollIntervalMs: 60_000 });
    await verifier.start();
    cleanups.push(() => verifier.stop());

    expect(verifier.enforcing).toBe(true);
    const answers = await Promise.all(Array.from({ length: 5 }, () => verifier.verify(app.key)));
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ ok: true, id: app.record.id, scope: 'ingest' })));
    expect(await verifier.verify(app.key)).toEqual({ ok: true, id: app.record.id, scope: 'ingest' });
    // Concurrent requests shared one call, and later ones were answered from memory.
    expect(owner.asked.verify).toBe(1);
    expect(verifier.isCached(app.key)).toBe(true);

    owner.keys.apply([own.record, { ...app.record, revoked_at: '2026-01-02 00:00:00.000', version: 2 }]);
    // Until its next poll this process keeps the answer it had (within the poll interval, 2 s by default)…
    expect((await verifier.verify(app.key)).ok).toBe(true);
    await verifier.poll();
    // …and then asks again, and is refused.
    expect(verifier.isCached(app.key)).toBe(false);
    expect(await verifier.verify(app.key)).toEqual({ ok: false });
    expect(owner.asked.verify).toBe(2);
  });

  it('remembers a refusal until a key is created on the owner, and refuses malformed keys without asking', async () => {
    const own = await makeApiKeyRecord('internal');
    const later = await makeApiKeyRecord('read');
    const table = { records: [own.record] };
    const owner = await startOwner(table);
    cleanups.push(owner.close);
    const verifier = new OwnerKeyVerifier({ ownerUrl: owner.url, apiKey: own.key, pollIntervalMs: 60_000 });
    await verifier.start();
    cleanups.push(() => verifier.stop());

    expect(await verifier.verify('junk')).toEqual({ ok: false });
    expect(owner.asked.verify).toBe(0);
    expect(await verifier.verify(later.key)).toEqual({ ok: false });
    expect(await verifier.verify(later.key)).toEqual({ ok: false });
    expect(owner.asked.verify).toBe(1);
    owner.keys.apply([own.record, later.record]);
    await verifier.poll();
    expect(await verifier.verify(later.key)).toEqual({ ok: true, id: later.record.id, scope: 'read' });
  });

  it('needs an internal key of its own once the owner has keys, and says which setting to set', async () => {
    const own = await makeApiKeyRecord('internal');
    const read = await makeApiKeyRecord('read');
    const app = await makeApiKeyRecord('ingest');
    const owner = await startOwner({ records: [own.record, read.record, app.record] });
    cleanups.push(owner.close);
    // An application's ingest key is not enough: /internal routes take spans as already redacted and priced.
    for (const apiKey of [undefined, read.key, app.key]) {
      await expect(new OwnerKeyVerifier({ ownerUrl: owner.url, apiKey }).start()).rejects.toThrow(/set auth\.api_key \(SPANLENS_API_KEY\) to an internal key/);
    }
  });

  it('enforces nothing while the owner has no keys, as the owner itself does', async () => {
    const owner = await startOwner({ records: [] });
    cleanups.push(owner.close);
    const verifier = new OwnerKeyVerifier({ ownerUrl: owner.url, apiKey: undefined });
    await verifier.start();
    cleanups.push(() => verifier.stop());
    expect(verifier.enforcing).toBe(false);
  });
});

describe('a collector whose owner stops answering', () => {
  it('answers an unchecked key with a retryable 503, not 401 or 500, and keeps serving keys it has checked', async () => {
    const own = await makeApiKeyRecord('internal');
    const app = await makeApiKeyRecord('ingest');
    const other = await makeApiKeyRecord('ingest');
    const owner = await startOwner({ records: [own.record, app.record, other.record] });
    const verifier = new OwnerKeyVerifier({ ownerUrl: owner.url, apiKey: own.key, pollIntervalMs: 60_000 });
    await verifier.start();
    cleanups.push(() => verifier.stop());
    const collector = express();
    collector.use(createRequireKey(verifier));
    collector.post('/v1/traces', (_req, res) => res.json({}));
    const server = await new Promise<Server>((resolve) => {
      const listening = collector.listen(0, '127.0.0.1', () => resolve(listening));
    });
    cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
    const post = (key: string) => fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`, { method: 'POST', headers: { authorization: `Bearer ${key}` }, body: '{}' });

    expect((await post(app.key)).status).toBe(200);
    await owner.close();
    expect((await post(app.key)).status).toBe(200);
    const unchecked = await post(other.key);
    expect(unchecked.status).toBe(503);
    expect(unchecked.headers.get('retry-after')).toBe('2');
    expect(await unchecked.json()).toEqual({ error: 'unavailable', message: 'the API key could not be checked right now; retry later' });
  });
});
