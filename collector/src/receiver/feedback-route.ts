import type { Request, Response } from 'express';
import { parseFeedbackBody, type Logger } from '@spanlens/core';
import type { CollectorMetrics } from '../metrics';
import { redactFeedback } from '../redaction/redact-spans';
import type { RedactionTally, Redactor } from '../redaction/redactor';
import { readBody } from './read-body';
import { retryAfterHeader, type IngestLimiter } from '../limits/ingest-limiter';
import { jsonNestingExceeds } from '../limits/json-depth';
import { limitedClient } from '../limits/limited-client';
import type { FeedbackSink } from './sink';

export interface FeedbackHandlerOptions {
  sink: FeedbackSink;
  /** Comments are end users' free text: redacted before they are stored or published. */
  redactor: Redactor;
  metrics: CollectorMetrics;
  logger: Logger;
  maxBodyBytes?: number;
  retryAfterSeconds?: number;
  /** Per-client request rate (limits.*); feedback counts as requests, not spans. */
  limiter?: IngestLimiter;
  /** Deepest nesting accepted in the JSON body (limits.max_json_depth). */
  maxJsonDepth?: number;
}

/**
 * `POST /v1/feedback`: one feedback object or an array of them. The request
 * is taken whole or refused whole: 400 names the item and field at fault,
 * 200 `{ accepted }` once the feedback is stored (or, distributed, in Kafka).
 * Feedback for a trace Spanlens has not seen (yet) is accepted: feedback often
 * arrives before the spans of its call are exported.
 */
export function createFeedbackHandler(options: FeedbackHandlerOptions) {
  const retryAfter = String(options.retryAfterSeconds ?? 2);
  return async function feedback(req: Request, res: Response): Promise<void> {
    const type = String(req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') {
      req.resume();
      res.status(415).json({ error: 'unsupported_media_type', message: `unsupported Content-Type "${type ?? ''}": send application/json` });
      return;
    }
    const admitted = options.limiter?.admitRequest(limitedClient(req, res)) ?? { ok: true };
    if (!admitted.ok) {
      req.resume();
      options.metrics.requestsLimited.inc({ limit: 'requests' });
      res.setHeader('Retry-After', retryAfterHeader(admitted.retryAfterSeconds));
      res.status(429).json({ error: 'rate_limited', message: `rate limited: ${admitted.reason}; retry later` });
      return;
    }
    const read = await readBody(req, options.maxBodyBytes ?? 1024 * 1024);
    if (!read.ok) {
      res.status(read.status).json({ error: 'invalid_request', message: read.message });
      return;
    }
    if (options.maxJsonDepth !== undefined && jsonNestingExceeds(read.body, options.maxJsonDepth)) {
      res.status(400).json({ error: 'invalid_request', message: `JSON nested more than ${options.maxJsonDepth} levels deep (limits.max_json_depth)` });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(read.body.toString('utf8'));
    } catch (error) {
      res.status(400).json({ error: 'invalid_request', message: `body is not JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = parseFeedbackBody(body, new Date());
    if (!parsed.ok) {
      options.metrics.feedbackRejected.inc();
      res.status(400).json({ error: 'invalid_feedback', message: parsed.error });
      return;
    }
    const redactions: RedactionTally = new Map();
    const feedback = redactFeedback(parsed.feedback, options.redactor, redactions);
    for (const [kind, count] of redactions) options.metrics.redactions.inc({ type: kind }, count);
    try {
      await options.sink.submit(feedback);
    } catch (error) {
      options.logger.error({ err: error, items: parsed.feedback.length }, 'storing feedback failed; the request was refused so the client retries');
      res.setHeader('Retry-After', retryAfter);
      res.status(503).json({ error: 'unavailable', message: 'feedback could not be stored; retry later' });
      return;
    }
    options.metrics.feedbackAccepted.inc(parsed.feedback.length);
    res.json({ accepted: parsed.feedback.length });
  };
}
