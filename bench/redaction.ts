// Prints what PII redaction costs the collector per span; run with `pnpm bench:redaction`.
// The baseline, measured in the same run on the same requests, is mapping
// alone (decode excluded); redaction runs over every stored string of the
// mapped spans, as the OTLP route does before pricing and storing them.
import { loadConfig } from '@spanlens/core';
import { createRedactor, decodeTraceRequest, mapTraceRequest } from '@spanlens/collector';
import { redactSpans } from '../collector/src/redaction/redact-spans';
import { buildPool, nowNs } from './src/request-pool';

const config = loadConfig({ env: {}, cwd: process.cwd() });
const pool = buildPool({ seed: 7, bodies: 200, minSpans: 50, maxSpans: 150, runPrefix: Buffer.from("5ec7e7a1b2c3d4e5", "hex"), nowNs: nowNs() });
const requests = pool.map((body) => {
  const decoded = decodeTraceRequest(body.template, 'protobuf');
  if (!decoded.ok) throw new Error(decoded.error);
  return decoded.request;
});

function measure(redact: boolean, tally: Map<string, number>): number {
  const redactor = createRedactor(config.redaction);
  let spans = 0;
  const started = performance.now();
  for (const request of requests) {
    const mapped = mapTraceRequest(request, config.mapping);
    if (redact) redactSpans(mapped.spans, redactor, tally);
    spans += mapped.spans.length;
  }
  return spans / ((performance.now() - started) / 1000);
}

// Rounds alternate between the two, and medians are compared, so that other
// load on the machine falls on both alike.
const ROUNDS = 15;
const tally = new Map<string, number>();
measure(true, new Map());
const rates = { baseline: [] as number[], redacted: [] as number[] };
for (let round = 0; round < ROUNDS; round++) {
  rates.baseline.push(measure(false, tally));
  rates.redacted.push(measure(true, tally));
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const baseline = median(rates.baseline);
const redacted = median(rates.redacted);
const spansPerRound = requests.reduce((sum, request) => sum + mapTraceRequest(request, config.mapping).spans.length, 0);
const strings = requests.flatMap((request) => mapTraceRequest(request, config.mapping).spans).reduce((sum, span) => sum + Object.keys(span.attributes).length + Object.keys(span.resource_attributes).length + 2, 0);
const fmt = (rate: number) => Math.round(rate).toLocaleString('en-US').padStart(10);
console.log(`${ROUNDS} rounds of ${spansPerRound.toLocaleString('en-US')} LLM spans (${strings.toLocaleString('en-US')} strings), medians:`);
console.log(`map only (baseline)   ${fmt(baseline)} spans/s`);
console.log(`map + redact          ${fmt(redacted)} spans/s   redactions: ${JSON.stringify(Object.fromEntries(tally))}`);
console.log(`redaction costs ${((1 / redacted - 1 / baseline) * 1e6).toFixed(2)} µs per span; throughput ratio ${(redacted / baseline).toFixed(2)}`);
