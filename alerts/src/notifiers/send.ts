import type { HttpRequest } from './delivery-attempt';

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SendResult {
  status: number | null;
  ok: boolean;
  /** Whether trying again could help: network errors, timeouts, 429 and 5xx. */
  retryable: boolean;
  error?: string;
  /** From a Retry-After header on 429 or 503, in ms. */
  retryAfterMs?: number;
}

/**
 * One POST with a deadline covering the response body too. Redirects are not
 * followed: fetch would turn the POST into a GET and drop the body.
 */
export async function sendOnce(request: HttpRequest, options: { timeoutMs: number; fetch: FetchLike; now: () => number }): Promise<SendResult> {
  let response: Response;
  let text: string;
  try {
    response = await options.fetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    const message = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${options.timeoutMs} ms` : describe(error);
    return { status: null, ok: false, retryable: true, error: message };
  }
  const status = response.status;
  if (status >= 200 && status < 300) return { status, ok: true, retryable: false };
  const result: SendResult = { status, ok: false, retryable: status === 429 || status >= 500, error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}` };
  if (status >= 300 && status < 400) result.error = `HTTP ${status}: redirect to ${response.headers.get('location') ?? '?'} not followed`;
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), options.now());
  if (retryAfter !== undefined && (status === 429 || status === 503)) result.retryAfterMs = retryAfter;
  return result;
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms from now. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // undici puts the socket error (ECONNREFUSED, ECONNRESET, …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
