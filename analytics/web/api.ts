/** A failed API call, with the API's own message (it names the bad parameter). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GET a route under /api/v1 as JSON. The dashboard reads nothing but this API. */
export async function getJson<T>(path: string): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new ApiError(0, `Spanlens did not answer (${(error as Error).message}); is it still running?`);
  }
  return readJson<T>(response);
}

export async function sendJson<T>(method: 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return readJson<T>(response);
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
