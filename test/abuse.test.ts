import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpanlensCli } from './support/cli';
import { otlpJsonRequest, type JsonSpanInput } from './support/otlp-json';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

const now = Date.now();
const llm = (user: string) => ({
  startMs: now - 60_000,
  attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'spanlens.feature': 'abuse', 'user.id': user },
});

/** Small limits so that a test can meet each of them quickly. */
const config = `
server:
  max_body_bytes: 1048576
  headers_timeout_ms: 1000
  request_timeout_ms: 3000
limits:
  requests_per_second: 5
  requests_burst: 10
  spans_per_second: 1000
  spans_burst: 100
  max_json_depth: 64
mapping:
  max_attributes_per_span: 20
  max_attribute_value_chars: 64
`;

describe('abusive and broken clients', () => {
  const dataDir = tempDataDir('spanlens-abuse-');
  const configPath = join(dirname(dataDir), 'spanlens.yaml');
  const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_CONFIG: configPath, SPANLENS_LOG_LEVEL: 'warn' };
  let spanlens: SpanlensProcess;
  const keys = { admin: '', flooder: '', neighbour: '', other: '', read: '' };

  const post = (key: string, path: string, body: string | Uint8Array, contentType = 'application/json') =>
    fetch(`${spanlens.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType }, body });
  const traces = (key: string, spans: JsonSpanInput[] = [llm('u')]) => post(key, '/v1/traces', JSON.stringify(otlpJsonRequest(spans)));
  const metric = async (name: string): Promise<number> => {
    const text = await (await fetch(`${spanlens.url}/metrics`, { headers: { authorization: `Bearer ${keys.read}` } })).text();
    return Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  };

  beforeAll(async () => {
    writeFileSync(configPath, config);
    const first = await runSpanlensCli(['keys', 'create', '--scope', 'admin', '--json'], env);
    expect(first.status, first.stderr).toBe(0);
    keys.admin = (JSON.parse(first.stdout) as { key: string }).key;
    spanlens = await startSpanlensProcess({ dataDir, env: { SPANLENS_CONFIG: configPath } });
    for (const [name, scope] of [['flooder', 'ingest'], ['neighbour', 'ingest'], ['other', 'ingest'], ['read', 'read']] as const) {
      const response = await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ scope, name }) });
      keys[name] = ((await response.json()) as { key: string }).key;
    }
  }, 120_000);
  afterAll(async () => {
    await spanlens?.kill9();
  });

  it('answers a flooding key 429 with Retry-After, while another key is not affected', async () => {
    const started = Date.now();
    const flood = await Promise.all(Array.from({ length: 40 }, () => traces(keys.flooder)));
    const neighbour = await Promise.all(Array.from({ length: 5 }, () => traces(keys.neighbour)));
    const elapsedSeconds = (Date.now() - started) / 1000;
    const limited = flood.filter((response) => response.status === 429);
    const passed = flood.filter((response) => response.status === 200);
    expect(passed.length + limited.length).toBe(40);
    // A burst of 10, then 5 per second for as long as the flood lasted.
    expect(passed.length).toBeGreaterThanOrEqual(10);
    expect(passed.length).toBeLessThanOrEqual(10 + Math.ceil(elapsedSeconds * 5) + 1);
    expect(limited.length).toBeGreaterThan(0);
    for (const response of limited) expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(neighbour.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await metric('spanlens_requests_rate_limited_total{limit="requests"}')).toBe(limited.length);
  });

  it('refuses one request with more spans than the span burst, naming the setting', async () => {
    const response = await traces(keys.neighbour, Array.from({ length: 150 }, (_, i) => llm(`bulk-${i}`)));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBeTruthy();
    expect(JSON.stringify(await response.json())).toMatch(/limits\.spans_burst/);
  });

  it('refuses an oversized body with 413 and a deeply nested one with 400, and keeps serving', async () => {
    const big = await post(keys.other, '/v1/traces', JSON.stringify({ resourceSpans: [], padding: 'x'.repeat(2 * 1024 * 1024) }));
    expect(big.status).toBe(413);

    const deep = 100_000;
    const nestedJson = `{"resourceSpans":${'['.repeat(deep)}${']'.repeat(deep)}}`;
    const json = await post(keys.other, '/v1/traces', nestedJson);
    expect(json.status).toBe(400);
    expect(((await json.json()) as { message: string }).message).toMatch(/nested more than 64 levels deep \(limits\.max_json_depth\)/);

    const feedback = await post(keys.other, '/v1/feedback', `{"trace_id":"${'a'.repeat(32)}","score":1,"extra":${'['.repeat(deep)}${']'.repeat(deep)}}`);
    expect(feedback.status).toBe(400);
    expect(((await feedback.json()) as { message: string }).message).toMatch(/limits\.max_json_depth/);

    // Protobuf: attribute values nested as kvlists inside kvlists.
    const protobuf = await post(keys.other, '/v1/traces', nestedProtobuf(5_000), 'application/x-protobuf');
    expect(protobuf.status).toBe(400);

    expect((await traces(keys.other)).status).toBe(200);
  });

  it('drops a client that sends its headers too slowly (slowloris), and one that sends its body too slowly', async () => {
    const { url } = spanlens;
    const headersDropped = await slowClient(url, ['POST /v1/traces HTTP/1.1\r\n', 'Host: x\r\n', ...'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'.split('')], 200);
    // headers_timeout_ms is 1000; Node checks a little after it.
    expect(headersDropped.closedAfterMs).toBeLessThan(4_000);
    expect(headersDropped.sent).toBeLessThan(60);

    const head = `POST /v1/traces HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keys.other}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
    const bodyDropped = await slowClient(url, [head, ...'{"resourceSpans":[]'.padEnd(200, ' ').split('')], 200);
    // request_timeout_ms is 3000.
    expect(bodyDropped.closedAfterMs).toBeLessThan(6_000);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 30_000);

  it('keeps the first attributes past the cap, truncates long values, and counts both', async () => {
    const droppedBefore = (await metric('spanlens_span_attributes_dropped_total')) || 0;
    const truncatedBefore = (await metric('spanlens_attribute_values_truncated_total')) || 0;
    const span = llm('attrs');
    const attributes: Record<string, string | number> = { ...span.attributes, 'long.value': 'y'.repeat(100) };
    for (let i = 0; i < 30; i++) attributes[`extra.${i}`] = `v${i}`;
    const response = await traces(keys.other, [{ ...span, attributes }]);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    // 6 + 1 + 30 attributes, 20 kept (long.value among them, cut to 64 characters).
    expect((await metric('spanlens_span_attributes_dropped_total')) - droppedBefore).toBe(37 - 20);
    expect((await metric('spanlens_attribute_values_truncated_total')) - truncatedBefore).toBe(1);
  });
});

/** Sends `parts` one every `intervalMs`; resolves when the server closes the socket. */
function slowClient(url: string, parts: string[], intervalMs: number): Promise<{ closedAfterMs: number; sent: number }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const started = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= parts.length || socket.destroyed) return;
      socket.write(parts[sent]!);
      sent += 1;
    }, intervalMs);
    const done = () => {
      clearInterval(timer);
      resolve({ closedAfterMs: Date.now() - started, sent });
    };
    socket.on('close', done);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server kept a slow client for 20 s (sent ${sent} parts)`));
    }, 20_000).unref();
  });
}

/** An OTLP protobuf request with one span whose attribute value nests `depth` kvlists. */
function nestedProtobuf(depth: number): Uint8Array {
  const varint = (n: number) => {
    const bytes: number[] = [];
    while (n > 127) {
      bytes.push((n & 127) | 128);
      n >>>= 7;
    }
    bytes.push(n);
    return Buffer.from(bytes);
  };
  const field = (tag: number, payload: Buffer) => Buffer.concat([Buffer.from([tag]), varint(payload.length), payload]);
  // AnyValue{string_value "x"}, wrapped as AnyValue{kvlist_value{values{key "k", value …}}}.
  let value = field(0x0a, Buffer.from('x'));
  for (let i = 0; i < depth; i++) value = field(0x32, field(0x0a, Buffer.concat([field(0x0a, Buffer.from('k')), field(0x12, value)])));
  const attribute = Buffer.concat([field(0x0a, Buffer.from('a')), field(0x12, value)]);
  const span = Buffer.concat([field(0x0a, Buffer.alloc(16, 1)), field(0x12, Buffer.alloc(8, 1)), field(0x2a, Buffer.from('chat')), field(0x4a, attribute)]);
  return field(0x0a, field(0x12, field(0x12, span)));
}
