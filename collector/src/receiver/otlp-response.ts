import { createRequire } from 'node:module';
import protobuf from 'protobufjs';

interface ResponseCodec {
  encode(message: object): { finish(): Uint8Array };
}

const require = createRequire(import.meta.url);
// protobufjs code generated from the official opentelemetry-proto files.
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceResponse: ResponseCodec } } } } };
};
const ExportTraceServiceResponse = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

// google.rpc.Status, the body OTLP/HTTP prescribes for failed requests.
const Status = new protobuf.Type('Status').add(new protobuf.Field('code', 1, 'int32')).add(new protobuf.Field('message', 2, 'string'));
new protobuf.Root().define('google.rpc').add(Status);

export type OtlpEncoding = 'protobuf' | 'json';

export interface EncodedBody {
  contentType: string;
  body: Buffer | string;
}

/** The `ExportTraceServiceResponse` for an accepted request, in the request's encoding. */
export function exportResponse(encoding: OtlpEncoding, rejected: { count: number; message: string }): EncodedBody {
  const partialSuccess = rejected.count > 0 ? { rejectedSpans: rejected.count, errorMessage: rejected.message } : undefined;
  if (encoding === 'json') {
    // int64 is a string in the protobuf JSON mapping.
    const body = partialSuccess ? { partialSuccess: { rejectedSpans: String(rejected.count), errorMessage: rejected.message } } : {};
    return { contentType: 'application/json', body: JSON.stringify(body) };
  }
  const body = ExportTraceServiceResponse.encode(partialSuccess ? { partialSuccess } : {}).finish();
  return { contentType: 'application/x-protobuf', body: Buffer.from(body) };
}

/** gRPC status codes used in failure bodies. */
export const statusCodes = { invalidArgument: 3, resourceExhausted: 8, unavailable: 14 } as const;

/** A `google.rpc.Status` failure body; JSON when the client's encoding is unknown. */
export function statusResponse(encoding: OtlpEncoding, code: number, message: string): EncodedBody {
  if (encoding === 'json') return { contentType: 'application/json', body: JSON.stringify({ code, message }) };
  return { contentType: 'application/x-protobuf', body: Buffer.from(Status.encode({ code, message }).finish()) };
}
