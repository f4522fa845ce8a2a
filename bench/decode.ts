// `pnpm bench:decode`: what decoding an OTLP/protobuf request costs per span,
// with the wire reader Spanlens uses and with the official schema's generated
// protobufjs decoder (the baseline), measured in the same run on the ingest
// bench's requests in alternating rounds. It first checks that both give the
// same decoded requests, and exits 1 if they do not.
import { isDeepStrictEqual } from 'node:util';
import { decodeProtobufWithGeneratedCode } from '../collector/src/otlp/protobuf-generated';
import { decodeProtobufTraceRequest } from '../collector/src/otlp/protobuf-wire';
import { buildPool, nowNs } from './src/request-pool';

const pool = buildPool({ seed: 7, bodies: 48, minSpans: 100, maxSpans: 1000, runPrefix: Buffer.from('5ec7e7a1b2c3d4e5', 'hex'), nowNs: nowNs() });
let spans = 0;
for (const body of pool) {
  const wire = decodeProtobufTraceRequest(body.template);
  if (!wire.ok || !isDeepStrictEqual(wire, decodeProtobufWithGeneratedCode(body.template))) {
    process.stderr.write('the wire reader and the generated decoder disagree on a request\n');
    process.exit(1);
  }
  for (const resource of wire.request.resourceSpans) for (const scope of resource.scopeSpans) spans += scope.spans.length;
}
const bytes = pool.reduce((sum, body) => sum + body.template.length, 0);

function microsPerSpan(decode: (body: Uint8Array) => unknown): number {
  const started = performance.now();
  for (let repeat = 0; repeat < 3; repeat++) for (const body of pool) decode(body.template);
  return ((performance.now() - started) * 1000) / (3 * spans);
}

const ROUNDS = 15;
const rates = { generated: [] as number[], wire: [] as number[] };
microsPerSpan(decodeProtobufTraceRequest);
microsPerSpan(decodeProtobufWithGeneratedCode);
for (let round = 0; round < ROUNDS; round++) {
  rates.generated.push(microsPerSpan(decodeProtobufWithGeneratedCode));
  rates.wire.push(microsPerSpan(decodeProtobufTraceRequest));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const generated = median(rates.generated);
const wire = median(rates.wire);
console.log(`${ROUNDS} rounds of ${pool.length} requests, ${spans.toLocaleString('en-US')} spans (${Math.round(bytes / spans)} bytes each); both decoders agree on every request; medians:`);
console.log(`generated protobufjs decoder (baseline)  ${generated.toFixed(2)} µs per span`);
console.log(`wire reader (used)                       ${wire.toFixed(2)} µs per span`);
console.log(`wire reader is ${(generated / wire).toFixed(2)}× as fast`);
