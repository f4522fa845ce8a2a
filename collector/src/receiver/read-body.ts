import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import type { Transform } from 'node:stream';

export type BodyResult =
  | { ok: true; body: Buffer }
  | { ok: false; status: 400 | 413 | 415; message: string };

/**
 * Reads a request body, inflating gzip or deflate, and stops at `limit` bytes
 * of decompressed data, so that a small compressed "bomb" cannot make the
 * process hold more than the limit in memory.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const encoding = String(req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  let inflater: Transform | undefined;
  if (encoding === 'gzip' || encoding === 'x-gzip') inflater = createGunzip();
  else if (encoding === 'deflate') inflater = createInflate();
  else if (encoding !== 'identity' && encoding !== '') {
    return drain(req, { ok: false, status: 415, message: `unsupported Content-Encoding "${encoding}": send gzip, deflate or none` });
  }
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    return drain(req, { ok: false, status: 413, message: `request body of ${declared} bytes is over the limit of ${limit} bytes` });
  }

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (result: BodyResult) => {
      if (settled) return;
      settled = true;
      if (!result.ok) {
        // Stop inflating, but read the rest of the upload so the answer reaches the client.
        inflater?.destroy();
        req.unpipe();
        req.resume();
      }
      resolve(result);
    };
    const source = inflater ? req.pipe(inflater) : req;
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, status: 413, message: `request body is over the limit of ${limit} bytes${inflater ? ' after decompression' : ''}` });
        return;
      }
      chunks.push(chunk);
    });
    source.on('end', () => finish({ ok: true, body: Buffer.concat(chunks, size) }));
    source.on('error', (error: Error) => finish({ ok: false, status: 400, message: `invalid ${encoding} body: ${error.message}` }));
    req.on('aborted', () => finish({ ok: false, status: 400, message: 'request aborted by the client' }));
  });
}

function drain(req: IncomingMessage, result: BodyResult): Promise<BodyResult> {
  req.resume();
  return Promise.resolve(result);
}
