import { randomBytes } from 'node:crypto';
import { encodeTraceRequest, toProtoLong, type ProtoSpan, type ProtoTraceRequest } from './otlp-proto';
import { SeededRandom } from './random';
import { buildCallSites, drawCall, httpServerSpan, llmAttributes, resourceAttributes, SERVICES, USERS, type CallSite } from './workload';

export interface PoolOptions {
  seed: number;
  bodies: number;
  minSpans: number;
  maxSpans: number;
  /** First 8 bytes of every trace id, so that ids of different runs never meet. */
  runPrefix: Buffer;
  /** The clock the template's timestamps are relative to; sends re-stamp them. */
  nowNs: bigint;
}

/**
 * One pre-encoded ExportTraceServiceRequest and where its ids and timestamps
 * sit in the bytes. `instantiate` copies the bytes and overwrites ids and
 * times in place, so every send carries spans that were never sent before
 * without paying for a protobuf encode on the load generator's CPU.
 */
export interface PooledBody {
  template: Buffer;
  spans: number;
  llmSpans: number;
  traceOffset: Int32Array;
  traceIndex: Int32Array;
  spanOffset: Int32Array;
  parentOffset: Int32Array;
  parentIndex: Int32Array;
  startOffset: Int32Array;
  endOffset: Int32Array;
  /** Nanoseconds before the send's clock at which each span started and ended. */
  startBack: BigInt64Array;
  endBack: BigInt64Array;
}

const HTTP_SCOPE = '@opentelemetry/instrumentation-http';
/** A BatchSpanProcessor exports every 5 s: a batch holds calls that ended in the last 5 s. */
const BATCH_WINDOW_NS = 5_000_000_000;

interface DraftSpan {
  proto: ProtoSpan;
  scope: string;
  isLlm: boolean;
  trace: number;
  parent: DraftSpan | undefined;
  startBack: bigint;
  endBack: bigint;
}

export function buildPool(options: PoolOptions): PooledBody[] {
  const random = new SeededRandom(options.seed);
  const sites = buildCallSites(random);
  return Array.from({ length: options.bodies }, (_, i) => buildBody(random, sites, options, i));
}

function buildBody(random: SeededRandom, sites: CallSite[], options: PoolOptions, bodyIndex: number): PooledBody {
  const serviceIndex = bodyIndex % SERVICES.length;
  const service = SERVICES[serviceIndex]!;
  const serviceSites = sites.filter((site) => site.service === serviceIndex);
  // A quarter of the fleet still runs an instrumentation with the pre-1.37 attribute names.
  const deprecatedNames = random.chance(0.25);
  const count = random.int(options.minSpans, options.maxSpans);
  const drafts: DraftSpan[] = [];
  let trace = 0;
  while (drafts.length < count) {
    const site = random.skewed(serviceSites);
    const user = random.skewed(USERS);
    const session = `conv_${random.bytes(8).toString('hex')}`;
    const remaining = count - drafts.length;
    const withRoot = remaining >= 2 && random.chance(0.08);
    const llmCalls = Math.min(random.weighted([1, 2, 3], [0.6, 0.3, 0.1]), remaining - (withRoot ? 1 : 0));
    const traceId = Buffer.concat([options.runPrefix, random.bytes(8)]);
    const traceEndBack = BigInt(Math.floor(random.next() * BATCH_WINDOW_NS));

    const calls = Array.from({ length: llmCalls }, () => drawCall(random, site, user, session));
    // Calls of one trace run one after another and end 2 ms before the trace does.
    let cursor = traceEndBack + 2_000_000n;
    const llm: DraftSpan[] = [];
    for (let c = calls.length - 1; c >= 0; c--) {
      const call = calls[c]!;
      const endBack = cursor;
      const startBack = endBack + call.durationNs;
      cursor = startBack + 1_000_000n;
      llm.unshift({
        proto: {
          traceId,
          spanId: random.bytes(8),
          name: `chat ${call.model.requestModel}`,
          kind: 3,
          startTimeUnixNano: toProtoLong(options.nowNs - startBack),
          endTimeUnixNano: toProtoLong(options.nowNs - endBack),
          attributes: llmAttributes(call, deprecatedNames),
          status: call.error ? { code: 2, message: call.error } : { code: 0 },
        },
        scope: call.model.scope,
        isLlm: true,
        trace,
        parent: undefined,
        startBack,
        endBack,
      });
    }
    if (withRoot) {
      const root: DraftSpan = {
        proto: {
          traceId,
          spanId: random.bytes(8),
          ...httpServerSpan(random, site),
          startTimeUnixNano: toProtoLong(options.nowNs - cursor - 3_000_000n),
          endTimeUnixNano: toProtoLong(options.nowNs - traceEndBack),
        },
        scope: HTTP_SCOPE,
        isLlm: false,
        trace,
        parent: undefined,
        startBack: cursor + 3_000_000n,
        endBack: traceEndBack,
      };
      for (const child of llm) {
        child.parent = root;
        child.proto.parentSpanId = root.proto.spanId;
      }
      drafts.push(root);
    }
    drafts.push(...llm);
    trace += 1;
  }

  const scopes = new Map<string, DraftSpan[]>();
  for (const draft of drafts) {
    const list = scopes.get(draft.scope) ?? [];
    list.push(draft);
    scopes.set(draft.scope, list);
  }
  const request: ProtoTraceRequest = {
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes(service, `${service.name}-${bodyIndex % 3}`) },
        scopeSpans: [...scopes].map(([name, list]) => ({ scope: { name, version: '0.10.1' }, spans: list.map((d) => d.proto) })),
      },
    ],
  };
  const ordered = [...scopes.values()].flat();
  return locate(encodeTraceRequest(request), ordered);
}

/** Finds each span's id and timestamp fields in the encoded bytes, in encoding order. */
function locate(template: Buffer, ordered: DraftSpan[]): PooledBody {
  const n = ordered.length;
  const body: PooledBody = {
    template,
    spans: n,
    llmSpans: ordered.filter((d) => d.isLlm).length,
    traceOffset: new Int32Array(n),
    traceIndex: new Int32Array(n),
    spanOffset: new Int32Array(n),
    parentOffset: new Int32Array(n).fill(-1),
    parentIndex: new Int32Array(n).fill(-1),
    startOffset: new Int32Array(n),
    endOffset: new Int32Array(n),
    startBack: new BigInt64Array(n),
    endBack: new BigInt64Array(n),
  };
  const position = new Map<DraftSpan, number>(ordered.map((d, i) => [d, i]));
  let cursor = 0;
  ordered.forEach((draft, i) => {
    const span = draft.proto;
    const traceAt = template.indexOf(span.traceId, cursor);
    expect(traceAt >= 2 && template[traceAt - 2] === 0x0a && template[traceAt - 1] === 16, 'trace_id field');
    let p = traceAt + 16;
    expect(template[p] === 0x12 && template[p + 1] === 8 && template.subarray(p + 2, p + 10).equals(span.spanId), 'span_id field');
    body.spanOffset[i] = p + 2;
    p += 10;
    if (span.parentSpanId) {
      expect(template[p] === 0x22 && template[p + 1] === 8, 'parent_span_id field');
      body.parentOffset[i] = p + 2;
      body.parentIndex[i] = position.get(draft.parent!)!;
      p += 10;
    }
    expect(template[p] === 0x2a, 'name field');
    const [nameLength, lengthBytes] = readVarint(template, p + 1);
    p += 1 + lengthBytes + nameLength;
    expect(template[p] === 0x30, 'kind field');
    p += 2;
    expect(template[p] === 0x39, 'start_time_unix_nano field');
    body.startOffset[i] = p + 1;
    p += 9;
    expect(template[p] === 0x41, 'end_time_unix_nano field');
    body.endOffset[i] = p + 1;
    p += 9;
    cursor = p;
    body.traceOffset[i] = traceAt;
    body.traceIndex[i] = draft.trace;
    body.startBack[i] = draft.startBack;
    body.endBack[i] = draft.endBack;
  });
  return body;
}

/**
 * A copy of the body whose ids are unique to `sequence` (one number per send)
 * and whose spans ended just before `nowNs`. Trace id bytes 8-15 and span id
 * bytes are [sequence, index + 1] big-endian, so ids never repeat in a run.
 */
export function instantiate(body: PooledBody, sequence: number, nowNs: bigint): Buffer {
  const out = Buffer.allocUnsafe(body.template.length);
  body.template.copy(out);
  for (let i = 0; i < body.spans; i++) {
    const traceAt = body.traceOffset[i]!;
    out.writeUInt32BE(sequence, traceAt + 8);
    out.writeUInt32BE(body.traceIndex[i]! + 1, traceAt + 12);
    const spanAt = body.spanOffset[i]!;
    out.writeUInt32BE(sequence, spanAt);
    out.writeUInt32BE(i + 1, spanAt + 4);
    const parentAt = body.parentOffset[i]!;
    if (parentAt >= 0) {
      out.writeUInt32BE(sequence, parentAt);
      out.writeUInt32BE(body.parentIndex[i]! + 1, parentAt + 4);
    }
    out.writeBigUInt64LE(nowNs - body.startBack[i]!, body.startOffset[i]!);
    out.writeBigUInt64LE(nowNs - body.endBack[i]!, body.endOffset[i]!);
  }
  return out;
}

function readVarint(buffer: Buffer, at: number): [value: number, bytes: number] {
  let value = 0;
  let shift = 0;
  let i = at;
  for (;;) {
    const byte = buffer[i++]!;
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, i - at];
    shift += 7;
  }
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`request pool: could not locate the ${what} in the encoded span`);
}

export function nowNs(): bigint {
  return BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000)) * 1000n;
}

/**
 * A one-span request whose feature nobody else uses: once the costs API lists
 * the feature, the span is queryable. `startMs` is the span's start time, so
 * that the poller can ask for the marker's own stretch of time rather than
 * for everything stored in the last minute or more.
 */
export function markerRequest(feature: string, runPrefix: Buffer, clockNs: bigint): { bytes: Buffer; startMs: number } {
  const random = new SeededRandom(Number(clockNs % 4_294_967_291n));
  const site = { ...buildCallSites(random)[0]!, feature };
  const call = drawCall(random, site, 'user-00000', `conv_${random.bytes(8).toString('hex')}`);
  const endNs = clockNs - 1_000_000n;
  const span: ProtoSpan = {
    traceId: Buffer.concat([runPrefix, randomBytes(8)]),
    spanId: randomBytes(8),
    name: `chat ${call.model.requestModel}`,
    kind: 3,
    startTimeUnixNano: toProtoLong(endNs - call.durationNs),
    endTimeUnixNano: toProtoLong(endNs),
    attributes: llmAttributes({ ...call, error: undefined }, false),
    status: { code: 0 },
  };
  const bytes = encodeTraceRequest({
    resourceSpans: [
      {
        resource: { attributes: resourceAttributes(SERVICES[0]!, 'bench-marker') },
        scopeSpans: [{ scope: { name: call.model.scope, version: '0.10.1' }, spans: [span] }],
      },
    ],
  });
  return { bytes, startMs: Number((endNs - call.durationNs) / 1_000_000n) };
}
