import { describe, expect, it } from 'vitest';
import { generateApiKey, hashSecret, newSalt, parseApiKey } from './api-key';
import type { ApiKeyRecord } from './key-store';
import { ApiKeyVerifier } from './key-verifier';

async function recordFor(scope: 'ingest' | 'read' | 'admin'): Promise<{ key: string; record: ApiKeyRecord }> {
  const generated = generateApiKey(scope);
  const salt = newSalt();
  const record: ApiKeyRecord = { id: generated.id, name: '', scope, salt, hash: await hashSecret(generated.secret, salt), created_at: '2026-01-01 00:00:00.000', revoked_at: null, version: 1 };
  return { key: generated.key, record };
}

describe('ApiKeyVerifier', () => {
  it('accepts a key, then refuses it once a reload shows it revoked, despite its cached verification', async () => {
    const { key, record } = await recordFor('read');
    let table = [record];
    const verifier = new ApiKeyVerifier({ load: async () => table, reloadIntervalMs: 60_000 });
    await verifier.start();
    expect(verifier.enforcing).toBe(true);
    expect(await verifier.verify(key)).toEqual({ ok: true, id: record.id, scope: 'read' });
    expect(await verifier.verify(key)).toEqual({ ok: true, id: record.id, scope: 'read' });
    table = [{ ...record, revoked_at: '2026-01-02 00:00:00.000', version: 2 }];
    await verifier.reload();
    expect(await verifier.verify(key)).toEqual({ ok: false });
    // Revoking every key does not open the routes again.
    expect(verifier.enforcing).toBe(true);
    verifier.stop();
  });

  it('refuses a wrong secret, an unknown id, a changed scope and junk', async () => {
    const { key, record } = await recordFor('admin');
    const verifier = new ApiKeyVerifier({ load: async () => [record] });
    await verifier.start();
    const parsed = parseApiKey(key)!;
    const flipped = parsed.secret.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    for (const bad of [`sl_admin_${parsed.id}_${flipped}`, `sl_admin_${'1'.repeat(16)}_${parsed.secret}`, `sl_read_${parsed.id}_${parsed.secret}`, 'junk', '']) {
      expect(await verifier.verify(bad)).toEqual({ ok: false });
    }
    verifier.stop();
  });

  it('does not enforce anything while no key was ever created', async () => {
    const verifier = new ApiKeyVerifier({ load: async () => [] });
    await verifier.start();
    expect(verifier.enforcing).toBe(false);
    verifier.stop();
  });

  it('changes its revision when a key is created or revoked, and never shows a salt or hash in it', async () => {
    const first = await recordFor('ingest');
    const second = await recordFor('admin');
    const verifier = new ApiKeyVerifier({ load: async () => [first.record] });
    await verifier.start();
    const one = verifier.revision;
    verifier.apply([first.record]);
    expect(verifier.revision).toBe(one);
    verifier.apply([second.record, first.record]);
    const two = verifier.revision;
    expect(two).not.toBe(one);
    verifier.apply([first.record, { ...second.record, revoked_at: '2026-01-02 00:00:00.000', version: 2 }]);
    expect(verifier.revision).not.toBe(two);
    for (const record of [first.record, second.record]) {
      expect(verifier.revision).not.toContain(record.hash.slice(0, 8));
      expect(verifier.revision).not.toContain(record.salt.slice(0, 8));
    }
    await verifier.stop();
  });
});
