import type { Request, Response } from 'express';
import { spanBatchSchema } from '@spanlens/core';
import { readBody } from './read-body';
import type { SpanSink } from './sink';

export interface OwnerSpansHandlerOptions {
  sink: SpanSink;
  maxBodyBytes: number;
  retryAfterSeconds?: number;
}

/**
 * `POST /internal/v1/spans`: normalised, priced spans from an ingest worker
 * that has no storage of its own. Answered 200 only once they are stored, so
 * the worker may then commit their Kafka offsets.
 */
export function createOwnerSpansHandler(options: OwnerSpansHandlerOptions) {
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  return async function ownerSpans(req: Request, res: Response): Promise<void> {
    const read = await readBody(req, options.maxBodyBytes);
    if (!read.ok) {
      res.status(read.status).json({ error: 'invalid_request', message: read.message });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      res.status(400).json({ error: 'invalid_request', message: `body is not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = spanBatchSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      res.status(400).json({ error: 'invalid_request', message: `${issue?.path.join('.') || '(body)'}: ${issue?.message ?? 'invalid'}` });
      return;
    }
    const { spans } = parsed.data;
    if (!options.sink.hasCapacity(spans.length)) {
      res.setHeader('Retry-After', retryAfter);
      res.status(503).json({ error: 'busy', message: 'the store is busy with earlier spans; retry later' });
      return;
    }
    try {
      await options.sink.submit(spans);
    } catch {
      res.setHeader('Retry-After', retryAfter);
      res.status(503).json({ error: 'store_unavailable', message: 'spans could not be stored; retry later' });
      return;
    }
    res.json({ stored: spans.length });
  };
}
