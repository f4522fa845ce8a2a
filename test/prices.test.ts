import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSpanlensCli } from './support/cli';
import { usd } from './support/costs';
import { joinedGroup, kafkaSetup, startCollector, startStoreOwner, storeDump, waitForCalls } from './support/distributed';
import { testKafkaBrokers } from './support/kafka-broker';
import { newSpanId, otlpJsonRequest, postOtlpJson } from './support/otlp-json';
import { killedAfterEach, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

// Prices set through the API (PUT/DELETE /api/v1/prices) against real
// `spanlens start` processes. Every cost below is worked out by hand from the
// token counts and the per-million prices: the catalogue's gpt-4o is $2.50 in
// and $10 out per million tokens.

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const jsonHeaders = (key: string) => ({ ...bearer(key), 'content-type': 'application/json' });

/** One LLM call of a model, under a feature of its own, so that its cost can be read alone. */
function call(feature: string, provider: string, model: string, input: number, output: number) {
  return {
    spanId: newSpanId(),
    startMs: Date.now() - 60_000,
    attributes: { 'gen_ai.provider.name': provider, 'gen_ai.request.model': model, 'gen_ai.usage.input_tokens': input, 'gen_ai.usage.output_tokens': output, 'spanlens.feature': feature },
  };
}

async function costsByFeature(url: string, key?: string): Promise<Record<string, { cost_usd: number; calls: number }>> {
  const query = new URLSearchParams({ group_by: 'feature', from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date(Date.now() + 3_600_000).toISOString() });
  const response = await fetch(`${url}/api/v1/costs?${query}`, { headers: key ? bearer(key) : {} });
  expect(response.status).toBe(200);
  const report = (await response.json()) as { rows: Array<{ key: string; cost_usd: number; calls: number }> };
  return Object.fromEntries(report.rows.map((row) => [row.key, { cost_usd: usd(row.cost_usd), calls: row.calls }]));
}

/** feature → price_version of its stored spans, read from the store itself once its owner has stopped. */
async function storedPriceVersions(dataDir: string, database: string): Promise<Record<string, string[]>> {
  const dump = await storeDump(dataDir, database);
  const section = dump.split(/^== /m).find((part) => part.startsWith('llm_spans\n')) ?? '';
  const versions: Record<string, Set<string>> = {};
  for (const line of section.split('\n').slice(1).filter(Boolean)) {
    const row = JSON.parse(line) as { feature: string; price_version: string };
    (versions[row.feature] ??= new Set()).add(row.price_version);
  }
  return Object.fromEntries(Object.entries(versions).map(([feature, set]) => [feature, [...set]]));
}

describe('model prices through the API, against a running Spanlens with keys', () => {
  const dataDir = tempDataDir('spanlens-prices-');
  const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_LOG_LEVEL: 'warn' };
  // A self-hosted model the catalogue does not know, priced in the config file at $3 in and $6 out per million.
  const configFile = join(dirname(dataDir), 'spanlens.yaml');
  writeFileSync(configFile, 'pricing:\n  models:\n    - model: acme-llm\n      input_per_mtok: 3\n      output_per_mtok: 6\n');
  let spanlens: SpanlensProcess;
  const keys = { admin: '', read: '', ingest: '' };
  let adminId = '';
  const versions = { gpt: '', acme: '', config: '' };

  beforeAll(async () => {
    const created = await runSpanlensCli(['keys', 'create', '--scope', 'admin', '--name', 'prices', '--json'], { ...env, SPANLENS_CONFIG: configFile });
    expect(created.status, created.stderr).toBe(0);
    ({ key: keys.admin, id: adminId } = JSON.parse(created.stdout) as { key: string; id: string });
    spanlens = await startSpanlensProcess({ dataDir, env: { ...env, SPANLENS_CONFIG: configFile } });
    for (const scope of ['read', 'ingest'] as const) {
      const response = await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: jsonHeaders(keys.admin), body: JSON.stringify({ scope }) });
      keys[scope] = ((await response.json()) as { key: string }).key;
    }
  }, 180_000);
  afterAll(async () => {
    await spanlens?.kill9();
  });

  const send = async (spans: ReturnType<typeof call>[]) => {
    const response = await postOtlpJson(spanlens.url, otlpJsonRequest(spans), bearer(keys.ingest));
    expect(response.status).toBe(200);
  };
  const applies = async (model: string, provider: string) => {
    const response = await fetch(`${spanlens.url}/api/v1/prices?model=${encodeURIComponent(model)}&provider=${encodeURIComponent(provider)}`, { headers: bearer(keys.read) });
    expect(response.status).toBe(200);
    return (await response.json()) as { source: string; price_version: string; rates: Record<string, number> | null };
  };

  it('lets a read key look prices up but not change them, and an ingest key do neither', async () => {
    const put = (key: string) => fetch(`${spanlens.url}/api/v1/prices/gpt-4o`, { method: 'PUT', headers: jsonHeaders(key), body: JSON.stringify({ input_per_mtok: 0, output_per_mtok: 0 }) });
    const del = (key: string) => fetch(`${spanlens.url}/api/v1/prices/gpt-4o`, { method: 'DELETE', headers: bearer(key) });
    const get = (key: string) => fetch(`${spanlens.url}/api/v1/prices`, { headers: bearer(key) });
    expect((await get(keys.read)).status).toBe(200);
    expect((await put(keys.read)).status).toBe(403);
    expect((await del(keys.read)).status).toBe(403);
    expect((await get(keys.ingest)).status).toBe(403);
    expect((await put(keys.ingest)).status).toBe(403);
    expect((await del(keys.ingest)).status).toBe(403);
    expect((await fetch(`${spanlens.url}/api/v1/prices`)).status).toBe(401);
    // Nothing was set by the refused requests: gpt-4o is still the catalogue's.
    expect(await applies('gpt-4o', 'openai')).toMatchObject({ source: 'catalog', rates: { input_per_mtok: 2.5, output_per_mtok: 10 } });

    const listed = (await (await get(keys.read)).json()) as { overrides: Array<Record<string, unknown>> };
    expect(listed.overrides).toEqual([
      expect.objectContaining({ source: 'config', model: 'acme-llm', provider: null, input_per_mtok: 3, output_per_mtok: 6, in_force: true }),
    ]);
    versions.config = String(listed.overrides[0]!.price_version);
    expect(versions.config).toMatch(/^custom:[0-9a-f]{12}$/);
  });

  it('refuses a bad price with 400 naming the field, and stores nothing', async () => {
    const put = async (path: string, body: unknown) => {
      const response = await fetch(`${spanlens.url}${path}`, { method: 'PUT', headers: jsonHeaders(keys.admin), body: JSON.stringify(body) });
      return { status: response.status, message: ((await response.json()) as { message: string }).message };
    };
    const cheap = await put('/api/v1/prices/gpt-4o', { input_per_mtok: 'cheap' });
    expect(cheap.status).toBe(400);
    expect(cheap.message).toMatch(/^input_per_mtok: /);
    const negative = await put('/api/v1/prices', { model: 'gpt-4o', output_per_mtok: -1 });
    expect(negative.status).toBe(400);
    expect(negative.message).toMatch(/^output_per_mtok: .*>=0/);
    const typo = await put('/api/v1/prices/gpt-4o', { inptu_per_mtok: 1 });
    expect(typo).toEqual({ status: 400, message: 'unknown field inptu_per_mtok' });
    const nameless = await put('/api/v1/prices', { input_per_mtok: 1 });
    expect(nameless.status).toBe(400);
    expect(nameless.message).toMatch(/^model: /);
    expect(await applies('gpt-4o', 'openai')).toMatchObject({ source: 'catalog' });
  });

  it('prices spans sent after an admin sets a price with it, keeps the cost of spans sent before, and restores the catalogue or config price on delete', async () => {
    // Before: gpt-4o from the catalogue, 1000 × $2.50 + 200 × $10 per million = $0.0045;
    // acme-llm from the config file, 2000 × $3 + 500 × $6 per million = $0.009.
    await send([call('before-gpt', 'openai', 'gpt-4o', 1000, 200), call('before-acme', 'acme', 'acme-llm', 2000, 500)]);

    const setGpt = await fetch(`${spanlens.url}/api/v1/prices/gpt-4o`, {
      method: 'PUT',
      headers: jsonHeaders(keys.admin),
      body: JSON.stringify({ provider: 'openai', input_per_mtok: 1, output_per_mtok: 4, per_call_usd: 0.0005 }),
    });
    expect(setGpt.status).toBe(200);
    versions.gpt = ((await setGpt.json()) as { price_version: string }).price_version;
    const setAcme = await fetch(`${spanlens.url}/api/v1/prices`, { method: 'PUT', headers: jsonHeaders(keys.admin), body: JSON.stringify({ model: 'acme-llm', input_per_mtok: 0.5, output_per_mtok: 1 }) });
    expect(setAcme.status).toBe(200);
    versions.acme = ((await setAcme.json()) as { price_version: string }).price_version;
    expect(versions.gpt).toMatch(/^override:\d+$/);
    expect(versions.acme).toMatch(/^override:\d+$/);
    expect(versions.acme).not.toBe(versions.gpt);

    // What a user checks before sending: the override applies now, at its rates.
    expect(await applies('gpt-4o', 'openai')).toMatchObject({ source: 'api', price_version: versions.gpt, rates: { input_per_mtok: 1, output_per_mtok: 4, per_call_usd: 0.0005 } });
    // The override is for openai only: another provider's gpt-4o is still the catalogue's.
    expect(await applies('gpt-4o', 'azure')).toMatchObject({ source: 'catalog' });
    expect(await applies('acme-llm', 'acme')).toMatchObject({ source: 'api', price_version: versions.acme });
    const listed = (await (await fetch(`${spanlens.url}/api/v1/prices`, { headers: bearer(keys.read) })).json()) as { overrides: Array<{ source: string; model: string; in_force: boolean }> };
    expect(listed.overrides.map((price) => `${price.source} ${price.model} ${price.in_force}`).sort()).toEqual(['api acme-llm true', 'api gpt-4o true', 'config acme-llm false']);

    // After, at once: gpt-4o 1000 × $1 + 200 × $4 per million + $0.0005 a call = $0.0023; acme-llm 2000 × $0.50 + 500 × $1 = $0.0015.
    await send([call('after-gpt', 'openai', 'gpt-4o', 1000, 200), call('after-acme', 'acme', 'acme-llm', 2000, 500)]);

    const deleted = await fetch(`${spanlens.url}/api/v1/prices/gpt-4o?provider=openai`, { method: 'DELETE', headers: bearer(keys.admin) });
    expect(deleted.status).toBe(200);
    expect((await fetch(`${spanlens.url}/api/v1/prices/acme-llm`, { method: 'DELETE', headers: bearer(keys.admin) })).status).toBe(200);
    // Deleted already: nothing left to delete.
    expect((await fetch(`${spanlens.url}/api/v1/prices/acme-llm`, { method: 'DELETE', headers: bearer(keys.admin) })).status).toBe(404);
    expect(await applies('gpt-4o', 'openai')).toMatchObject({ source: 'catalog', rates: { input_per_mtok: 2.5, output_per_mtok: 10 } });
    expect(await applies('acme-llm', 'acme')).toMatchObject({ source: 'config', price_version: versions.config, rates: { input_per_mtok: 3, output_per_mtok: 6 } });

    // Restored: the catalogue's and the config's prices again, $0.0045 and $0.009.
    await send([call('restored-gpt', 'openai', 'gpt-4o', 1000, 200), call('restored-acme', 'acme', 'acme-llm', 2000, 500)]);

    const costs = await costsByFeature(spanlens.url, keys.read);
    expect(costs).toMatchObject({
      'before-gpt': { calls: 1, cost_usd: 0.0045 },
      'before-acme': { calls: 1, cost_usd: 0.009 },
      'after-gpt': { calls: 1, cost_usd: 0.0023 },
      'after-acme': { calls: 1, cost_usd: 0.0015 },
      'restored-gpt': { calls: 1, cost_usd: 0.0045 },
      'restored-acme': { calls: 1, cost_usd: 0.009 },
    });
  }, 60_000);

  it('records each price change in the audit log, by key id with the model as target, and no refused attempt', async () => {
    const audit = (await (await fetch(`${spanlens.url}/api/v1/audit`, { headers: bearer(keys.admin) })).json()) as { entries: Array<{ actor: string; action: string; target: string; detail: string }> };
    const priceEntries = audit.entries.filter((entry) => entry.action.startsWith('price.'));
    expect(priceEntries.map((entry) => `${entry.actor} ${entry.action} ${entry.target}`).sort()).toEqual([
      `${adminId} price.delete acme-llm`,
      `${adminId} price.delete gpt-4o`,
      `${adminId} price.set acme-llm`,
      `${adminId} price.set gpt-4o`,
    ]);
    const setGpt = priceEntries.find((entry) => entry.action === 'price.set' && entry.target === 'gpt-4o')!;
    expect(JSON.parse(setGpt.detail)).toMatchObject({ provider: 'openai', input_per_mtok: 1, output_per_mtok: 4, per_call_usd: 0.0005, price_version: versions.gpt });
  });

  it('keeps the price version of each span, so that its cost can be traced to the price it was priced with', async () => {
    expect(await spanlens.interrupt()).toBe(0);
    const stored = await storedPriceVersions(dataDir, 'spanlens');
    expect(stored['before-gpt']).toEqual([expect.stringMatching(/^genai-prices@/)]);
    expect(stored['before-acme']).toEqual([versions.config]);
    expect(stored['after-gpt']).toEqual([versions.gpt]);
    expect(stored['after-acme']).toEqual([versions.acme]);
    expect(stored['restored-gpt']).toEqual(stored['before-gpt']);
    expect(stored['restored-acme']).toEqual([versions.config]);
    // The overrides survive a restart, deleted ones stay deleted: a new price set now is read back at start.
    spanlens = await startSpanlensProcess({ dataDir, env: { ...env, SPANLENS_CONFIG: configFile } });
    expect((await fetch(`${spanlens.url}/api/v1/prices/gpt-4o`, { method: 'PUT', headers: jsonHeaders(keys.admin), body: JSON.stringify({ input_per_mtok: 7 }) })).status).toBe(200);
    expect(await spanlens.interrupt()).toBe(0);
    spanlens = await startSpanlensProcess({ dataDir, env: { ...env, SPANLENS_CONFIG: configFile } });
    expect(await applies('gpt-4o', 'openai')).toMatchObject({ source: 'api', rates: { input_per_mtok: 7, output_per_mtok: 0 } });
    expect(await applies('acme-llm', 'acme')).toMatchObject({ source: 'config' });
  }, 180_000);
});

const track = killedAfterEach();

describe('a collector without a store (distributed, through Kafka)', () => {
  it('prices with a price set on the owner within one poll (2 s), and with the catalogue again after it is deleted', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'prices');
    const owner = await track(startStoreOwner({ dataDir: tempDataDir('spanlens-prices-owner-'), database: 'spanlens', env: { ...kafka.env, SPANLENS_LOG_LEVEL: 'warn' } }));
    const collector = await track(startCollector(kafka, { SPANLENS_STORAGE_OWNER_URL: owner.url, SPANLENS_LOG_LEVEL: 'warn' }));
    await joinedGroup(owner, kafka);
    const send = async (feature: string) => {
      const response = await postOtlpJson(collector.url, otlpJsonRequest([call(feature, 'openai', 'gpt-4o', 1000, 200)]));
      expect(response.status).toBe(200);
    };
    // The collector's poll interval (2 s) and half a second for the poll itself on a slow machine.
    const pollBound = () => new Promise((resolve) => setTimeout(resolve, 2_500));

    await send('collector-before');
    const set = await fetch(`${owner.url}/api/v1/prices/gpt-4o`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input_per_mtok: 10, output_per_mtok: 20 }) });
    expect(set.status).toBe(200);
    await pollBound();
    await send('collector-after');
    expect((await fetch(`${owner.url}/api/v1/prices/gpt-4o`, { method: 'DELETE' })).status).toBe(200);
    await pollBound();
    await send('collector-restored');

    for (const feature of ['collector-before', 'collector-after', 'collector-restored']) expect((await waitForCalls(owner.url, feature, 1, 30_000)).calls).toBe(1);
    // Catalogue: 1000 × $2.50 + 200 × $10 per million = $0.0045; set on the owner: 1000 × $10 + 200 × $20 per million = $0.014.
    expect(await costsByFeature(owner.url)).toMatchObject({
      'collector-before': { calls: 1, cost_usd: 0.0045 },
      'collector-after': { calls: 1, cost_usd: 0.014 },
      'collector-restored': { calls: 1, cost_usd: 0.0045 },
    });
  }, 180_000);
});
