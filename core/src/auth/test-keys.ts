import { generateApiKey, hashSecret, newSalt, type KeyScope } from './api-key';
import type { ApiKeyRecord } from './key-store';

/** A new key and the record a store would hold for it, without a store. */
export async function makeApiKeyRecord(scope: KeyScope): Promise<{ key: string; record: ApiKeyRecord }> {
  const generated = generateApiKey(scope);
  const salt = newSalt();
  const record: ApiKeyRecord = { id: generated.id, name: '', scope, salt, hash: await hashSecret(generated.secret, salt), created_at: '2026-01-01 00:00:00.000', revoked_at: null, version: 1 };
  return { key: generated.key, record };
}
