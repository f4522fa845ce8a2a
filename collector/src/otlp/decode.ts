import { decodeJsonTraceRequest } from './json';
import { decodeProtobufTraceRequest } from './protobuf-wire';
import type { DecodeTraceResult } from './types';

/**
 * Decodes the (already decompressed) body of `POST /v1/traces`. An undecodable
 * body is an expected failure, returned as a value with a message fit for the
 * 400 response: it says what was wrong and where, never quotes the body.
 */
export function decodeTraceRequest(body: Buffer, contentType: 'protobuf' | 'json'): DecodeTraceResult {
  return contentType === 'protobuf' ? decodeProtobufTraceRequest(body) : decodeJsonTraceRequest(body);
}
