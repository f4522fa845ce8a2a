import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  body: Buffer;
  retryAfter: string | undefined;
}

/** A keep-alive client for one loopback server; refuses any other host. */
export class LoopbackClient {
  private readonly agent: Agent;
  private readonly host: string;
  private readonly port: number;

  constructor(baseUrl: string, options: { maxSockets: number }) {
    const url = new URL(baseUrl);
    if (url.hostname !== '127.0.0.1') throw new Error(`the bench talks to 127.0.0.1 only, not ${url.hostname}`);
    this.host = url.hostname;
    this.port = Number(url.port);
    this.agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets });
  }

  post(path: string, body: Buffer, contentType: string, timeoutMs: number): Promise<HttpAnswer> {
    return this.send('POST', path, timeoutMs, body, contentType);
  }

  get(path: string, timeoutMs: number): Promise<HttpAnswer> {
    return this.send('GET', path, timeoutMs);
  }

  close(): void {
    this.agent.destroy();
  }

  private send(method: string, path: string, timeoutMs: number, body?: Buffer, contentType?: string): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body) {
        headers['content-type'] = contentType ?? 'application/octet-stream';
        headers['content-length'] = body.length;
      }
      const req = request({ agent: this.agent, host: this.host, port: this.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(body);
    });
  }
}
