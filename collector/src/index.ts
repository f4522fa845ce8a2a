export { createCollectorMetrics } from './metrics';
export type { CollectorMetrics } from './metrics';
export { createOtlpTracesHandler } from './receiver/otlp-traces-route';
export type { OtlpTracesHandlerOptions } from './receiver/otlp-traces-route';
export type { SpanSink } from './receiver/sink';
export { GroupCommitBatcher } from './ingest/batcher';
export type { BatcherOptions } from './ingest/batcher';
export { decodeTraceRequest } from './otlp/decode';
export { mapTraceRequest } from './mapping/map-request';
