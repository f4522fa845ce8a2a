import type { Feedback } from '../model/feedback';
import type { LlmSpan } from '../model/span';
import { spanEnvelopeVersion } from '../model/span-envelope';
import { StorageError } from './storage-error';

/**
 * Stores spans through the Spanlens process that owns the embedded store
 * (`storage.owner_url`). It resolves only when the owner has inserted them,
 * so an ingest worker may commit its offsets afterwards exactly as if it had
 * inserted them itself.
 */
export function writeSpansThroughOwner(ownerUrl: string, spans: LlmSpan[], apiKey?: string): Promise<void> {
  return postToOwner(ownerUrl, '/internal/v1/spans', { schema_version: spanEnvelopeVersion, spans }, apiKey);
}

/** Stores feedback through the owner of the embedded store, like writeSpansThroughOwner. */
export function writeFeedbackThroughOwner(ownerUrl: string, feedback: Feedback[], apiKey?: string): Promise<void> {
  return postToOwner(ownerUrl, '/internal/v1/feedback', { schema_version: spanEnvelopeVersion, feedback }, apiKey);
}

/** `apiKey` (auth.api_key, internal scope) is required by an owner that has API keys. */
async function postToOwner(ownerUrl: string, path: string, body: unknown, apiKey: string | undefined): Promise<void> {
  const url = new URL(path, ownerUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new StorageError('OWNER_UNREACHABLE', `the store owner at ${url.origin} did not answer: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ok) {
    const text = await response.text().catch(() => '');
    throw new StorageError('OWNER_REFUSED', `the store owner at ${url.origin} answered ${response.status} to ${path}: ${text.slice(0, 300)}`);
  }
  await response.arrayBuffer();
}
