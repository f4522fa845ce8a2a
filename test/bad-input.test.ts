import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@spanlens/core';
import { startSpanlens, type RunningSpanlens } from '@spanlens/cli';
import { getCosts, usd } from './support/costs';
import { decodeProtobufResponse, otlpProtobufBody } from './support/otel-sdk';
import { otlpJsonRequest, postOtlpJson } from './support/otlp-json';
import { tempDataDir } from './support/spanlens-process';

const now = Date.now();
const LIMIT = 1024 * 1024;
// gpt-4o-mini at $0.15 / $0.60 per million tokens: 1000 in + 100 out = $0.00021.
const goodCost = (1000 * 0.15 + 100 * 0.6) / 1_000_000;
const good = (user: string) => ({
  startMs: now - 60_000,
  attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100, 'spanlens.feature': 'bad-input', 'user.id': user },
});

describe('bad input gets the documented answer, and the server keeps serving', () => {
  let spanlens: RunningSpanlens;
  let accepted = 0;
  const range = () => ({ from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() });

  beforeAll(async () => {
    const config = loadConfig({ env: { SPANLENS_PORT: '0', SPANLENS_DATA_DIR: tempDataDir(), SPANLENS_MAX_BODY_BYTES: String(LIMIT) }, cwd: tempDataDir() });
    spanlens = await startSpanlens(config, createLogger({ level: 'silent' }));
  });
  afterAll(async () => spanlens?.close());

  const stillServing = async () => {
    expect((await fetch(`${spanlens.url}/healthz`)).status).toBe(200);
    const response = await postOtlpJson(spanlens.url, otlpJsonRequest([good(`ok-${accepted}`)]));
    expect(response.status).toBe(200);
    accepted += 1;
  };

  it('answers 400 with a message for truncated protobuf', async () => {
    const body = await otlpProtobufBody({ service: 'x', calls: [{ name: 'chat', startMs: now, durationMs: 5, attributes: good('a').attributes }] });
    const response = await fetch(`${spanlens.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: body.slice(0, body.length - 7) });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    expect(Buffer.from(await response.arrayBuffer()).toString('latin1')).toMatch(/protobuf/i);
    await stillServing();
  });

  it('answers 400 for JSON that does not parse, naming the problem', async () => {
    const response = await postOtlpJson(spanlens.url, '{"resourceSpans": [');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/JSON/);
    await stillServing();
  });

  it('answers 415 for an unknown content type', async () => {
    const response = await fetch(`${spanlens.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { message: string }).message).toContain('text/plain');
    await stillServing();
  });

  it('answers 413 for a body over the limit', async () => {
    const response = await postOtlpJson(spanlens.url, 'x'.repeat(LIMIT + 1));
    expect(response.status).toBe(413);
    await stillServing();
  });

  it('answers 413 for a gzip bomb without inflating it into memory', async () => {
    const bomb = gzipSync(Buffer.alloc(256 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(LIMIT);
    const before = process.memoryUsage().rss;
    const response = await fetch(`${spanlens.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });
    expect(response.status).toBe(413);
    expect(process.memoryUsage().rss - before).toBeLessThan(128 * 1024 * 1024);
    await stillServing();
  });

  it('rejects spans with negative or non-numeric token counts, and keeps the first 1000 attributes of one with 10,006, keeping the good spans', async () => {
    const many: Record<string, string> = { ...good('x').attributes } as unknown as Record<string, string>;
    for (let i = 0; i < 10_000; i++) many[`attr.${i}`] = 'v';
    const request = otlpJsonRequest([
      { startMs: now - 1000, attributes: { ...good('neg').attributes, 'gen_ai.usage.input_tokens': -5 } },
      { startMs: now - 1000, attributes: { ...good('nan').attributes, 'gen_ai.usage.output_tokens': 'abc' } },
      { startMs: now - 1000, attributes: many },
      good('kept'),
    ]);
    const response = await postOtlpJson(spanlens.url, request);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(2);
    expect(body.partialSuccess.errorMessage).toContain('gen_ai.usage.input_tokens');
    expect(body.partialSuccess.errorMessage).toContain('gen_ai.usage.output_tokens');
    expect(body.partialSuccess.errorMessage).not.toMatch(/attributes/);
    // The span with too many attributes keeps its first 1000 (its usage among them) and is priced like a good one.
    accepted += 2;
    await stillServing();
  });

  it('reports partial success in protobuf too', async () => {
    const body = await otlpProtobufBody({
      service: 'x',
      calls: [
        { name: 'chat', startMs: now - 1000, durationMs: 5, attributes: { ...good('p').attributes, 'gen_ai.usage.input_tokens': -1 } },
        { name: 'chat', startMs: now - 1000, durationMs: 5, attributes: good('p2').attributes },
      ],
    });
    const response = await fetch(`${spanlens.url}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });
    expect(response.status).toBe(200);
    const decoded = decodeProtobufResponse(await response.arrayBuffer());
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    accepted += 1;
  });

  it('stores a span of an unknown model as unpriced, not as free', async () => {
    const response = await postOtlpJson(spanlens.url, otlpJsonRequest([{ startMs: now - 1000, attributes: { 'gen_ai.provider.name': 'acme', 'gen_ai.request.model': 'acme-llm-7', 'gen_ai.usage.input_tokens': 50, 'gen_ai.usage.output_tokens': 5, 'spanlens.feature': 'bad-input' } }]));
    expect(response.status).toBe(200);
    const byModel = await getCosts(spanlens.url, { group_by: 'model', ...range() });
    expect(byModel.rows.find((row) => row.key === 'acme-llm-7')).toEqual({ key: 'acme-llm-7', cost_usd: 0, calls: 1, input_tokens: 50, output_tokens: 5, unpriced_calls: 1 });
  });

  it('stores a span whose text holds lone UTF-16 surrogates (JSON allows them), with U+FFFD in their place, and the spans stored beside it', async () => {
    // ClickHouse refuses such a string and the whole insert with it: before, this request and every
    // request batched with it got 503 on every retry.
    const lone = good('lone-\ud800-user');
    const bad = { ...lone, attributes: { ...lone.attributes, 'note-\udc00': 'half a pair \ud83d here' } };
    const [badResponse, goodResponse] = await Promise.all([postOtlpJson(spanlens.url, otlpJsonRequest([bad])), postOtlpJson(spanlens.url, otlpJsonRequest([good('beside-lone')]))]);
    expect([badResponse.status, goodResponse.status]).toEqual([200, 200]);
    accepted += 2;
    const byUser = await getCosts(spanlens.url, { group_by: 'user', ...range() });
    expect(byUser.rows.find((row) => row.key === 'lone-\ufffd-user')).toMatchObject({ calls: 1, input_tokens: 1000 });
    expect(byUser.rows.find((row) => row.key === 'beside-lone')).toMatchObject({ calls: 1 });
    await stillServing();
  });

  it('rejects a span dated before 2001 or after 2262 by itself, naming a likely unit mistake, and stores the rest of its request', async () => {
    // 1,718,035,000,000 ns is 1970-01-01T00:28:38Z: milliseconds sent as nanoseconds. ClickHouse refuses such a
    // row and the whole insert with it: before, the request got 503 on every retry, with the requests batched with it.
    const request = otlpJsonRequest([{ ...good('ms-as-ns'), startMs: 1_718_035 }, good('dated-fine')]);
    const response = await postOtlpJson(spanlens.url, request);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(Number(body.partialSuccess.rejectedSpans)).toBe(1);
    expect(body.partialSuccess.errorMessage).toContain('start time 1718035000000 ns is before 2001-09-09 (1000000000000000000): not nanoseconds since the Unix epoch?');
    accepted += 1;
    const byUser = await getCosts(spanlens.url, { group_by: 'user', ...range() });
    expect(byUser.rows.find((row) => row.key === 'dated-fine')).toMatchObject({ calls: 1 });
    await stillServing();
  });

  it('answers 400 naming a bad API parameter', async () => {
    const wrongGroup = await fetch(`${spanlens.url}/api/v1/costs?group_by=team`);
    expect(wrongGroup.status).toBe(400);
    expect(((await wrongGroup.json()) as { message: string }).message).toMatch(/group_by/);
    const wrongDate = await fetch(`${spanlens.url}/api/v1/costs?group_by=feature&from=yesterday`);
    expect(wrongDate.status).toBe(400);
    expect(((await wrongDate.json()) as { message: string }).message).toMatch(/from/);
  });

  it('lost nothing that was accepted along the way', async () => {
    const byFeature = await getCosts(spanlens.url, { group_by: 'feature', ...range() });
    const row = byFeature.rows.find((r) => r.key === 'bad-input');
    expect(row?.calls).toBe(accepted + 1); // plus the unpriced span
    expect(usd(row?.cost_usd ?? -1)).toBe(usd(accepted * goodCost));
    const metrics = await (await fetch(`${spanlens.url}/metrics`)).text();
    expect(metrics).toMatch(/^spanlens_spans_rejected_total\{reason="invalid_tokens"\} 3$/m);
    expect(metrics).toMatch(/^spanlens_spans_rejected_total\{reason="invalid_timestamps"\} 1$/m);
    expect(metrics).not.toMatch(/^spanlens_spans_rejected_total\{reason="too_many_attributes"\}/m);
    // 6 mapped + 10,000 extra attributes, of which mapping.max_attributes_per_span (1000) were kept.
    expect(metrics).toMatch(/^spanlens_span_attributes_dropped_total 9006$/m);
  });
});
