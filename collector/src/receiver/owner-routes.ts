import type { Request, Response } from 'express';
import { feedbackBatchSchema, spanBatchSchema, type Feedback } from '@spanlens/core';
import { readBody } from './read-body';
import type { FeedbackSink, SpanSink } from './sink';

export interface OwnerRoutesOptions {
  spans: SpanSink;
  feedback: FeedbackSink;
  maxBodyBytes: number;
  retryAfterSeconds?: number;
}

/**
 * `POST /internal/v1/spans` and `/internal/v1/feedback`: normalised spans and
 * feedback from ingest workers that have no storage of their own. Answered
 * 200 only once they are stored, so the worker may then commit its offsets.
 */
export function createOwnerHandlers(options: OwnerRoutesOptions) {
  const retryAfter = String(options.retryAfterSeconds ?? 1);

  const readJson = async (req: Request, res: Response): Promise<unknown> => {
    const read = await readBody(req, options.maxBodyBytes);
    if (!read.ok) {
      res.status(read.status).json({ error: 'invalid_request', message: read.message });
      return undefined;
    }
    try {
      return JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      res.status(400).json({ error: 'invalid_request', message: `body is not JSON: ${(error as Error).message}` });
      return undefined;
    }
  };
  const refuse = (res: Response) => {
    res.setHeader('Retry-After', retryAfter);
    res.status(503).json({ error: 'store_unavailable', message: 'the store is busy or failing; retry later' });
  };
  const invalid = (res: Response, issue: { path: PropertyKey[]; message: string } | undefined) => {
    res.status(400).json({ error: 'invalid_request', message: `${issue?.path.map(String).join('.') || '(body)'}: ${issue?.message ?? 'invalid'}` });
  };

  return {
    async spans(req: Request, res: Response): Promise<void> {
      const json = await readJson(req, res);
      if (json === undefined) return;
      const parsed = spanBatchSchema.safeParse(json);
      if (!parsed.success) return invalid(res, parsed.error.issues[0]);
      const { spans } = parsed.data;
      if (!options.spans.hasCapacity(spans.length)) return refuse(res);
      try {
        await options.spans.submit(spans);
      } catch {
        return refuse(res);
      }
      res.json({ stored: spans.length });
    },
    async feedback(req: Request, res: Response): Promise<void> {
      const json = await readJson(req, res);
      if (json === undefined) return;
      const parsed = feedbackBatchSchema.safeParse(json);
      if (!parsed.success) return invalid(res, parsed.error.issues[0]);
      const feedback: Feedback[] = parsed.data.feedback;
      try {
        await options.feedback.submit(feedback);
      } catch {
        return refuse(res);
      }
      res.json({ stored: feedback.length });
    },
  };
}
