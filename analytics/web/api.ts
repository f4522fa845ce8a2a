/** A failed API call, with the API's own message (it names the bad parameter). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Where the dashboard keeps the API key once the user gave it: this browser's
 * storage only. Without keys configured on the server none is ever asked for.
 */
const KEY_STORAGE = 'spanlens.apiKey';

export function storedApiKey(): string | null {
  try {
    return window.localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

function authHeaders(): Record<string, string> {
  const key = storedApiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/**
 * A 401 means this server has API keys and the browser has none (or a
 * revoked one): ask once, keep it, and try again. The key never leaves this
 * browser except in the Authorization header of the dashboard's own requests.
 */
function askForKey(): boolean {
  const key = window.prompt('This Spanlens needs an API key with the read scope (spanlens keys create --scope read). Paste it here; it is kept in this browser only.');
  if (!key || key.trim() === '') return false;
  window.localStorage.setItem(KEY_STORAGE, key.trim());
  return true;
}

async function request(path: string, init: RequestInit): Promise<Response> {
  const send = () => fetch(`/api/v1${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...authHeaders() } });
  let response: Response;
  try {
    const sentWith = storedApiKey();
    response = await send();
    // A page makes several requests at once: when another one was answered
    // 401 and got a key from the user meanwhile, this one retries with it.
    if (response.status === 401 && (storedApiKey() !== sentWith || askForKey())) response = await send();
  } catch (error) {
    throw new ApiError(0, `Spanlens did not answer (${(error as Error).message}); is it still running?`);
  }
  if (response.status === 403) throw new ApiError(403, '403: this API key may not do that; the dashboard needs a key with the read scope (admin for silences)');
  return response;
}

/** GET a route under /api/v1 as JSON. The dashboard reads nothing but this API. */
export async function getJson<T>(path: string): Promise<T> {
  return readJson<T>(await request(path, { headers: { accept: 'application/json' } }));
}

export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  return readJson<T>(
    await request(path, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    }),
  );
}

/**
 * A download link under /api/v1: a plain link while the server needs no key;
 * with a key it is fetched with the key and handed to the browser as a file.
 */
export function downloadWithKey(event: MouseEvent): void {
  const link = event.currentTarget as HTMLAnchorElement;
  if (!storedApiKey()) return;
  event.preventDefault();
  void fetch(link.href, { headers: authHeaders() }).then(async (response) => {
    if (!response.ok) return window.alert(`${response.status}: the report could not be downloaded`);
    const url = URL.createObjectURL(await response.blob());
    const file = Object.assign(document.createElement('a'), { href: url, download: link.hasAttribute('download') ? 'spanlens-report.csv' : '', target: link.target });
    file.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
}

async function readJson<T>(response: Response): Promise<T> {
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, `${response.status} ${response.statusText}: not JSON`);
  }
  if (!response.ok) {
    const message = (body as { message?: string }).message ?? response.statusText;
    throw new ApiError(response.status, `${response.status}: ${message}`);
  }
  return body as T;
}
