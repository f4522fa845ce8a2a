import { randomBytes } from 'node:crypto';

export type AttrValue = string | number | boolean | string[];

export interface JsonSpanInput {
  attributes: Record<string, AttrValue>;
  startMs: number;
  durationMs?: number;
  traceId?: string;
  spanId?: string;
  name?: string;
  events?: Array<{ name: string; timeMs: number; attributes: Record<string, AttrValue> }>;
}

/** An OTLP/JSON attribute, typed the way the protobuf JSON mapping writes it. */
function attribute(key: string, value: AttrValue) {
  if (Array.isArray(value)) return { key, value: { arrayValue: { values: value.map((v) => ({ stringValue: v })) } } };
  if (typeof value === 'boolean') return { key, value: { boolValue: value } };
  if (typeof value === 'number') return { key, value: Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value } };
  return { key, value: { stringValue: value } };
}

export const newTraceId = (): string => randomBytes(16).toString('hex');
export const newSpanId = (): string => randomBytes(8).toString('hex');

/** An `ExportTraceServiceRequest` in OTLP/JSON, written independently of the server's decoder. */
export function otlpJsonRequest(spans: JsonSpanInput[], service = 'test-service') {
  return {
    resourceSpans: [
      {
        resource: { attributes: [attribute('service.name', service)] },
        scopeSpans: [
          {
            scope: { name: 'spanlens-test' },
            spans: spans.map((span) => {
              const start = BigInt(span.startMs) * 1_000_000n;
              const end = start + BigInt(span.durationMs ?? 500) * 1_000_000n;
              return {
                traceId: span.traceId ?? newTraceId(),
                spanId: span.spanId ?? newSpanId(),
                name: span.name ?? 'chat',
                kind: 3,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(end),
                attributes: Object.entries(span.attributes).map(([key, value]) => attribute(key, value)),
                events: (span.events ?? []).map((event) => ({
                  name: event.name,
                  timeUnixNano: String(BigInt(event.timeMs) * 1_000_000n),
                  attributes: Object.entries(event.attributes).map(([key, value]) => attribute(key, value)),
                })),
                status: {},
              };
            }),
          },
        ],
      },
    ],
  };
}

export async function postOtlpJson(baseUrl: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(`${baseUrl}/v1/traces`, {
    method: 'POST',
    signal,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
