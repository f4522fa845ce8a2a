import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The collector's Prometheus metrics, registered on the process's registry. */
export function createCollectorMetrics(registry: Registry, sources: { pendingSpans: () => number }) {
  const registers = [registry];
  return {
    spansReceived: new Counter({ name: 'spanlens_spans_received_total', help: 'Spans received in OTLP requests that could be decoded', registers }),
    spansAccepted: new Counter({ name: 'spanlens_spans_accepted_total', help: 'LLM spans accepted and stored', registers }),
    spansRejected: new Counter({ name: 'spanlens_spans_rejected_total', help: 'Spans rejected as invalid, by reason', labelNames: ['reason'], registers }),
    spansSkipped: new Counter({ name: 'spanlens_spans_skipped_total', help: 'Spans without LLM usage, counted and not stored', registers }),
    spansUnpriced: new Counter({ name: 'spanlens_spans_unpriced_total', help: 'LLM spans stored without a cost because their model has no price', labelNames: ['provider', 'model'], registers }),
    redactions: new Counter({ name: 'spanlens_redactions_total', help: 'Values replaced by a placeholder before storage, by type (email, card, secret, …)', labelNames: ['type'], registers }),
    feedbackAccepted: new Counter({ name: 'spanlens_feedback_accepted_total', help: 'Feedback items accepted', registers }),
    feedbackRejected: new Counter({ name: 'spanlens_feedback_rejected_total', help: 'Feedback requests refused as invalid', registers }),
    attributesDropped: new Counter({ name: 'spanlens_span_attributes_dropped_total', help: 'Span attributes dropped past mapping.max_attributes_per_span (the first ones are kept)', registers }),
    valuesTruncated: new Counter({ name: 'spanlens_attribute_values_truncated_total', help: 'Attribute values cut to mapping.max_attribute_value_chars', registers }),
    requestsLimited: new Counter({ name: 'spanlens_requests_rate_limited_total', help: 'OTLP and feedback requests answered 429, by the limit they met (requests or spans)', labelNames: ['limit'], registers }),
    requestsRefused: new Counter({ name: 'spanlens_otlp_requests_refused_total', help: 'OTLP requests refused whole, by HTTP status', labelNames: ['status'], registers }),
    batchSpans: new Histogram({ name: 'spanlens_ingest_batch_spans', help: 'Spans per insert batch', buckets: [1, 10, 100, 500, 1000, 2500, 5000, 10000, 20000], registers }),
    insertSeconds: new Histogram({ name: 'spanlens_ingest_insert_seconds', help: 'Time to insert one batch into ClickHouse', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers }),
    insertFailures: new Counter({ name: 'spanlens_ingest_insert_failures_total', help: 'Batches whose insert failed (their requests were answered 503)', registers }),
    pendingSpans: new Gauge({
      name: 'spanlens_ingest_pending_spans',
      help: 'Spans accepted and waiting to be stored',
      registers,
      collect() {
        this.set(sources.pendingSpans());
      },
    }),
  };
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
