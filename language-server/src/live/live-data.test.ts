import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiReader } from './api-reader';
import { LiveData } from './live-data';

/** A stand-in Spanlens API on 127.0.0.1 that answers with ETags, records requests, and can be told to fail. */
async function fakeApi() {
  const requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
  const state = { status: 200, version: 1 };
  const bodies = (path: string) => {
    if (path.startsWith('/api/v1/annotations/')) return { subject: path.endsWith('callsites') ? 'callsite' : 'prompt', from: 'a', to: 'b', rows: state.version === 1 ? [] : [{ key: 'p@1', calls: 2, cost_usd: 0.5, cost_per_call_usd: 0.25, unpriced_calls: 0, p95_ms: 10, error_rate: 0, tokens: { input: 1, output: 1, cached: 0 }, models: [], previous_week: { calls: 0, cost_usd: 0 }, satisfaction: { votes: 0, positive: 0, rate: null }, prompts: [] }] };
    if (path === '/api/v1/alerts') return { active: [{ rule: 'r', state: 'firing', severity: 'warning', labels: { prompt: 'p@1' }, summary: 's', extra: 1 }, { rule: 'q', state: 'pending', severity: 'info', labels: {}, summary: 't' }], recent: [] };
    if (path === '/api/v1/prices') {
      const override = { source: 'api', model: 'gpt-4o', provider: null, input_per_mtok: 1, output_per_mtok: 4, cache_read_per_mtok: null, cache_write_per_mtok: null, reasoning_per_mtok: null, per_call_usd: 0, price_version: 'override:7', updated_at: '2026-11-01T00:00:00.000Z', in_force: true };
      return { catalog_version: 'genai-prices@0.1.8', overrides: state.version === 1 ? [] : [override] };
    }
    return undefined; // /api/v1/drift: an older server without it.
  };
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (state.status !== 200) return void res.writeHead(state.status).end();
    const body = bodies(req.url ?? '');
    if (body === undefined) return void res.writeHead(404).end();
    const etag = `"v${state.version}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
    res.writeHead(200, { 'content-type': 'application/json', etag }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, state, close: () => new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    }) };
}

let api: Awaited<ReturnType<typeof fakeApi>> | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe('LiveData', () => {
  it('revalidates with If-None-Match, keeps figures on 304, and treats a missing endpoint as empty', async () => {
    api = await fakeApi();
    const live = new LiveData(new ApiReader({ apiUrl: `${api.url}/`, apiKey: 'sl_read_123', timeoutMs: 2000 }));
    expect(await live.refresh()).toEqual({ dataChanged: true, stateChanged: true });
    expect(live.state).toEqual({ kind: 'ok' });
    expect(live.snapshot.alerts.map((alert) => alert.rule)).toEqual(['r']); // only firing alerts
    expect(live.snapshot.drift).toEqual([]);
    const first = api.requests.find((request) => request.path === '/api/v1/annotations/callsites')!;
    expect(first.headers.authorization).toBe('Bearer sl_read_123');
    expect(first.headers['if-none-match']).toBeUndefined();

    api.requests.length = 0;
    expect(await live.refresh()).toEqual({ dataChanged: false, stateChanged: false });
    const second = api.requests.find((request) => request.path === '/api/v1/annotations/callsites')!;
    expect(second.headers['if-none-match']).toBe('"v1"');
    expect(second.headers['cache-control']).toBe('max-age=0');
    expect(api.requests.find((request) => request.path === '/api/v1/prices')!.headers['if-none-match']).toBe('"v1"');
    expect(live.snapshot.prices).toEqual({ overrides: [], customPrices: [] });

    api.state.version = 2;
    expect(await live.refresh()).toEqual({ dataChanged: true, stateChanged: false });
    expect(live.snapshot.callsites.map((row) => row.key)).toEqual(['p@1']);
    // A price set through the API reaches the snapshot, for estimates.
    expect(live.snapshot.prices.overrides.map((price) => [price.model, price.version, price.input_per_mtok])).toEqual([['gpt-4o', 7, 1]]);
  });

  it('keeps the last figures while the API is unreachable or refuses the key, and reports each change of state once', async () => {
    api = await fakeApi();
    api.state.version = 2;
    const live = new LiveData(new ApiReader({ apiUrl: api.url, timeoutMs: 2000 }));
    await live.refresh();
    api.state.status = 401;
    expect(await live.refresh()).toEqual({ dataChanged: false, stateChanged: true });
    expect(live.state).toEqual({ kind: 'unauthorized', status: 401, keySent: false });
    await api.close();
    const unreachable = new ApiReader({ apiUrl: api.url, timeoutMs: 2000 });
    live.useReader(unreachable);
    expect(await live.refresh()).toEqual({ dataChanged: false, stateChanged: true });
    expect(live.state).toMatchObject({ kind: 'unreachable', reason: expect.stringMatching(/^(ECONNREFUSED|UND_ERR_SOCKET)$/) });
    expect(await live.refresh()).toEqual({ dataChanged: false, stateChanged: false });
    expect(live.snapshot.callsites.map((row) => row.key)).toEqual(['p@1']);
    api = undefined;
  });
});
