/** What came back from the store owner: its JSON body, or why there is none. */
export type OwnerAnswer =
  | { ok: true; body: unknown }
  | { ok: false; refused: boolean; problem: string; cause?: unknown };

/** The hint a 401 or 403 from the owner deserves: the key this process presents is not an internal one. */
export const internalKeyHint = 'set auth.api_key (SPANLENS_API_KEY) to an internal key (spanlens keys create --scope internal)';

/**
 * One call from a collector or ingest worker without a store to the process
 * that owns it (`storage.owner_url`), with this process's internal key once
 * keys exist. Never throws: the caller words the error for what it needed
 * (`refused` is a 401 or 403, which a retry does not cure).
 */
export async function callOwner(options: { ownerUrl: string; apiKey: string | undefined; path: string; method?: 'GET' | 'POST'; body?: unknown }): Promise<OwnerAnswer> {
  const { apiKey, body } = options;
  const url = new URL(options.path, options.ownerUrl);
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers: { ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return { ok: false, refused: false, problem: `did not answer (${(error as Error).message})`, cause: error };
  }
  if (!response.ok) {
    await response.arrayBuffer().catch(() => undefined);
    return { ok: false, refused: response.status === 401 || response.status === 403, problem: `answered ${response.status} to ${options.path}` };
  }
  return { ok: true, body: await response.json() };
}
