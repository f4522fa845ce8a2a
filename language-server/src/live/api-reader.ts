/**
 * Reads the Spanlens HTTP API with conditional requests: each path keeps the
 * ETag of its last answer and sends it as If-None-Match, so a poll that finds
 * nothing new costs the API a 304 and the editor nothing.
 */
export type ReadOutcome<T> =
  | { kind: 'fresh'; body: T }
  | { kind: 'not-modified' }
  /** The endpoint does not exist on this server (an older version, or a role that is not running). */
  | { kind: 'absent' }
  /** 401 (no valid key) or 403 (a valid key whose scope does not cover the route), and whether a key was sent. */
  | { kind: 'unauthorized'; status: number; keySent: boolean }
  | { kind: 'unreachable'; reason: string };

export interface ApiReaderOptions {
  apiUrl: string;
  apiKey?: string | undefined;
  timeoutMs: number;
  fetch?: typeof fetch;
}

export class ApiReader {
  private readonly etags = new Map<string, string>();
  private readonly fetch: typeof fetch;

  constructor(private readonly options: ApiReaderOptions) {
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /** Forgets the ETags, so the next read returns a fresh body (after the key or URL changed). */
  reset(): void {
    this.etags.clear();
  }

  async read<T>(path: string, parse: (json: unknown) => T): Promise<ReadOutcome<T>> {
    const url = `${this.options.apiUrl.replace(/\/+$/, '')}${path}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    const etag = this.etags.get(path);
    if (etag) {
      headers['if-none-match'] = etag;
      // fetch() adds `Cache-Control: no-cache` to conditional requests unless
      // one is given, and servers (express among them) answer no-cache with a
      // full 200; max-age=0 still revalidates but allows the 304.
      headers['cache-control'] = 'max-age=0';
    }
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await this.fetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      return { kind: 'unreachable', reason: describeFetchError(error) };
    }
    if (response.status === 304) return { kind: 'not-modified' };
    if (response.status === 401 || response.status === 403) return { kind: 'unauthorized', status: response.status, keySent: Boolean(this.options.apiKey) };
    if (response.status === 404) return { kind: 'absent' };
    if (!response.ok) return { kind: 'unreachable', reason: `${url} answered ${response.status}` };
    let body: T;
    try {
      body = parse(await response.json());
    } catch (error) {
      return { kind: 'unreachable', reason: `${url} answered with an unexpected body: ${error instanceof Error ? error.message.slice(0, 200) : String(error)}` };
    }
    const next = response.headers.get('etag');
    if (next) this.etags.set(path, next);
    else this.etags.delete(path);
    return { kind: 'fresh', body };
  }
}

function describeFetchError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    if (error.name === 'TimeoutError') return 'no answer within the timeout';
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
