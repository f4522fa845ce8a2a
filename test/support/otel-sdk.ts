import type { Attributes } from '@opentelemetry/api';
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';

export interface LlmCall {
  name: string;
  attributes: Attributes;
  startMs: number;
  durationMs: number;
  error?: boolean;
}

/**
 * Sends spans the way an instrumented application does: the real
 * OpenTelemetry JS SDK and its OTLP/HTTP exporter (protobuf or JSON).
 */
export async function exportWithOtelSdk(options: { baseUrl: string; encoding: 'protobuf' | 'json'; service: string; calls: LlmCall[] }): Promise<void> {
  const url = `${options.baseUrl}/v1/traces`;
  const exporter = options.encoding === 'protobuf' ? new ProtoExporter({ url }) : new JsonExporter({ url });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [new BatchSpanProcessor({ exporter, maxExportBatchSize: 512, scheduledDelayMillis: 60_000 })],
  });
  const tracer = provider.getTracer('spanlens-e2e');
  for (const call of options.calls) {
    const span = tracer.startSpan(call.name, { attributes: call.attributes, startTime: call.startMs });
    if (call.error) span.setStatus({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    span.end(call.startMs + call.durationMs);
  }
  await provider.forceFlush();
  await provider.shutdown();
}

/**
 * The protobuf body the SDK's exporter would send for these calls, built with
 * the SDK's own serializer, for tests that need to replay or damage a request.
 */
export async function otlpProtobufBody(options: { service: string; calls: LlmCall[] }): Promise<Uint8Array> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('spanlens-e2e');
  for (const call of options.calls) {
    const span = tracer.startSpan(call.name, { attributes: call.attributes, startTime: call.startMs });
    span.end(call.startMs + call.durationMs);
  }
  await provider.forceFlush();
  const body = ProtobufTraceSerializer.serializeRequest(exporter.getFinishedSpans());
  if (!body) throw new Error('the SDK serializer produced no body');
  return body;
}

export function decodeProtobufResponse(body: ArrayBuffer) {
  return ProtobufTraceSerializer.deserializeResponse(new Uint8Array(body));
}
