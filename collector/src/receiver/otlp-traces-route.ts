import type { Request, Response } from 'express';
import { normaliseFeedback, type Logger, type MappingConfig, type Pricer } from '@spanlens/core';
import type { CollectorMetrics } from '../metrics';
import { decodeTraceRequest } from '../otlp/decode';
import { mapTraceRequest } from '../mapping/map-request';
import { exportResponse, statusCodes, statusResponse, type EncodedBody, type OtlpEncoding } from './otlp-response';
import { redactFeedback, redactSpans } from '../redaction/redact-spans';
import type { RedactionTally, Redactor } from '../redaction/redactor';
import { priceSpan } from './price-span';
import { readBody } from './read-body';
import { retryAfterHeader, type IngestLimiter } from '../limits/ingest-limiter';
import { jsonNestingExceeds } from '../limits/json-depth';
import { limitedClient } from '../limits/limited-client';
import type { FeedbackSink, SpanSink } from './sink';

export interface OtlpTracesHandlerOptions {
  maxBodyBytes: number;
  mapping: MappingConfig;
  pricer: Pricer;
  /** Runs over every stored string before spans go to Kafka or storage. */
  redactor: Redactor;
  sink: SpanSink;
  /** Where `gen_ai.evaluation.result` events go, as feedback; without it they are ignored. */
  feedback?: FeedbackSink;
  metrics: CollectorMetrics;
  logger: Logger;
  /** Seconds a client is asked to wait before retrying after a 503. */
  retryAfterSeconds?: number;
  /** Per-client request and span rates (limits.*); without it nothing is rate-limited. */
  limiter?: IngestLimiter;
  /** Deepest nesting accepted in a JSON body (limits.max_json_depth). */
  maxJsonDepth?: number;
}

/** `POST /v1/traces` as the OTLP/HTTP specification describes it. */
export function createOtlpTracesHandler(options: OtlpTracesHandlerOptions) {
  const { metrics, logger } = options;
  const retryAfter = String(options.retryAfterSeconds ?? 2);

  const send = (res: Response, status: number, encoded: EncodedBody) => {
    if (status !== 200) metrics.requestsRefused.inc({ status: String(status) });
    res.status(status).type(encoded.contentType).send(encoded.body);
  };

  return async function otlpTraces(req: Request, res: Response): Promise<void> {
    const encoding = encodingOf(req.headers['content-type']);
    if (!encoding) {
      req.resume();
      send(res, 415, statusResponse('json', statusCodes.invalidArgument, `unsupported Content-Type "${req.headers['content-type'] ?? ''}": send application/x-protobuf or application/json`));
      return;
    }
    const client = limitedClient(req, res);
    const admitted = options.limiter?.admitRequest(client) ?? { ok: true };
    if (!admitted.ok) {
      req.resume();
      metrics.requestsLimited.inc({ limit: 'requests' });
      res.setHeader('Retry-After', retryAfterHeader(admitted.retryAfterSeconds));
      send(res, 429, statusResponse(encoding, statusCodes.resourceExhausted, `rate limited: ${admitted.reason}; retry later`));
      return;
    }
    const read = await readBody(req, options.maxBodyBytes);
    if (!read.ok) {
      send(res, read.status, statusResponse(encoding, statusCodes.invalidArgument, read.message));
      return;
    }
    if (encoding === 'json' && options.maxJsonDepth !== undefined && jsonNestingExceeds(read.body, options.maxJsonDepth)) {
      send(res, 400, statusResponse(encoding, statusCodes.invalidArgument, `JSON nested more than ${options.maxJsonDepth} levels deep (limits.max_json_depth)`));
      return;
    }
    const decoded = decodeTraceRequest(read.body, encoding);
    if (!decoded.ok) {
      send(res, 400, statusResponse(encoding, statusCodes.invalidArgument, decoded.error));
      return;
    }
    const received = decoded.request.resourceSpans.reduce((sum, r) => sum + r.scopeSpans.reduce((n, scope) => n + scope.spans.length, 0), 0);
    const spansAdmitted = options.limiter?.admitSpans(client, received) ?? { ok: true };
    if (!spansAdmitted.ok) {
      metrics.requestsLimited.inc({ limit: 'spans' });
      res.setHeader('Retry-After', retryAfterHeader(spansAdmitted.retryAfterSeconds));
      send(res, 429, statusResponse(encoding, statusCodes.resourceExhausted, `rate limited: ${spansAdmitted.reason}; retry later`));
      return;
    }
    const redactions: RedactionTally = new Map();
    const mapped = mapTraceRequest(decoded.request, options.mapping, options.redactor.enabled ? { text: (text) => options.redactor.redact(text, redactions), id: (text) => options.redactor.pseudonymize(text, redactions) } : undefined);
    metrics.attributesDropped.inc(mapped.tally.droppedAttributes);
    metrics.valuesTruncated.inc(mapped.tally.truncatedValues);
    redactSpans(mapped.spans, options.redactor, redactions);
    const evaluations = redactFeedback(mapped.evaluations, options.redactor, redactions);
    for (const [type, count] of redactions) metrics.redactions.inc({ type }, count);
    metrics.spansReceived.inc(mapped.spans.length + mapped.rejected.length + mapped.skipped);
    metrics.spansSkipped.inc(mapped.skipped);
    for (const rejected of mapped.rejected) metrics.spansRejected.inc({ reason: rejected.reason });

    if (!options.sink.hasCapacity(mapped.spans.length)) {
      res.setHeader('Retry-After', retryAfter);
      send(res, 503, statusResponse(encoding, statusCodes.unavailable, 'Spanlens is busy storing earlier spans; retry later'));
      return;
    }
    const spans = mapped.spans.map((span) => priceSpan(span, options.pricer));
    try {
      await options.sink.submit(spans);
      if (options.feedback && evaluations.length > 0) {
        const received = new Date();
        await options.feedback.submit(evaluations.map((item) => normaliseFeedback(item, received)));
        metrics.feedbackAccepted.inc(evaluations.length);
      }
    } catch (error) {
      logger.error({ err: error, spans: spans.length }, 'storing spans failed; the request was refused so the client retries');
      res.setHeader('Retry-After', retryAfter);
      send(res, 503, statusResponse(encoding, statusCodes.unavailable, 'spans could not be stored; retry later'));
      return;
    }
    metrics.spansAccepted.inc(spans.length);
    for (const span of spans) if (span.unpriced) metrics.spansUnpriced.inc({ provider: span.provider, model: span.model });
    const message = mapped.rejected.slice(0, 5).map((r) => r.message).join('; ') + (mapped.rejected.length > 5 ? `; and ${mapped.rejected.length - 5} more` : '');
    send(res, 200, exportResponse(encoding, { count: mapped.rejected.length, message }));
  };
}

function encodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}
