import type { LlmSpan } from '../model/span';
import { spanEnvelopeVersion } from '../model/span-envelope';
import { StorageError } from './storage-error';

/**
 * Stores spans through the Spanlens process that owns the embedded store
 * (`storage.owner_url`). It resolves only when the owner has inserted them,
 * so an ingest worker may commit its offsets afterwards exactly as if it had
 * inserted them itself.
 */
export async function writeSpansThroughOwner(ownerUrl: string, spans: LlmSpan[], options: { timeoutMs?: number } = {}): Promise<void> {
  const url = new URL('/internal/v1/spans', ownerUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema_version: spanEnvelopeVersion, spans }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
    });
  } catch (error) {
    throw new StorageError('OWNER_UNREACHABLE', `the store owner at ${url.origin} did not answer: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    const body = await response.text().catch(() => '');
    throw new StorageError('OWNER_REFUSED', `the store owner at ${url.origin} answered ${response.status}: ${body.slice(0, 300)}`);
  }
  await response.arrayBuffer();
}
