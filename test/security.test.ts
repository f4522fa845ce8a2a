import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, openClickHouse, spanEnvelopeVersion } from '@spanlens/core';
import { startProcessKeys } from '../cli/src/auth/process-keys';
import { runSpanlensCli } from './support/cli';
import { kafkaSetup, startCollector } from './support/distributed';
import { testKafkaBrokers } from './support/kafka-broker';
import { otlpJsonRequest } from './support/otlp-json';
import { llmSpan, scopeRoutes, type RouteCase, type Scope } from './support/route-table';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';
import { waitFor } from './support/wait';

const now = Date.now();
const routes = scopeRoutes;
/** Every body answered to the ingest and internal keys by test (a); the store test checks that none holds a stored salt or hash. */
const answered: string[] = [];

function call(url: string, route: Pick<RouteCase, 'method' | 'path' | 'body'>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}${route.path}`, {
    method: route.method,
    headers: { ...(route.body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** Creates a key with the CLI and returns it; the CLI prints it on the last line. */
async function cliCreateKey(env: Record<string, string>, scope: Scope, name: string): Promise<{ key: string; id: string }> {
  const result = await runSpanlensCli(['keys', 'create', '--scope', scope, '--name', name, '--json'], env);
  expect(result.status, result.stderr).toBe(0);
  const created = JSON.parse(result.stdout) as { key: string; id: string; scope: string };
  expect(created.scope).toBe(scope);
  return created;
}

describe('API keys and scopes against a running Spanlens', () => {
  const dataDir = tempDataDir('spanlens-security-');
  const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_LOG_LEVEL: 'warn' };
  let spanlens: SpanlensProcess;
  const keys = {} as Record<Scope, string>;
  let adminId = '';

  beforeAll(async () => {
    // The first key: no server runs, so the CLI writes it to the store itself, with no key.
    const admin = await cliCreateKey(env, 'admin', 'first admin');
    keys.admin = admin.key;
    adminId = admin.id;
    spanlens = await startSpanlensProcess({ dataDir });
    // With the server running, the CLI goes through its API and needs the admin key.
    keys.read = (await cliCreateKey({ ...env, SPANLENS_API_KEY: keys.admin }, 'read', 'dashboard')).key;
    keys.ingest = (await cliCreateKey({ ...env, SPANLENS_API_KEY: keys.admin }, 'ingest', 'app')).key;
    keys.internal = (await cliCreateKey({ ...env, SPANLENS_API_KEY: keys.admin }, 'internal', 'collectors')).key;
  }, 180_000);
  afterAll(async () => {
    await spanlens?.kill9();
  });

  it('refuses the CLI without a key once keys exist, with a message naming the setting', async () => {
    const result = await runSpanlensCli(['keys', 'create', '--scope', 'admin'], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/401/);
    expect(result.stderr).toMatch(/SPANLENS_API_KEY/);
    const asRead = await runSpanlensCli(['keys', 'list'], { ...env, SPANLENS_API_KEY: keys.read });
    expect(asRead.stderr).toMatch(/403/);
  });

  it('lets each scope through exactly where it belongs: 401 without a valid key, 403 with the wrong scope', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      const label = `${route.method} ${route.path}`;
      const anonymous = await call(spanlens.url, route);
      if (route.allowed === 'open') {
        if ([401, 403].includes(anonymous.status)) failures.push(`${label} without a key: ${anonymous.status}, expected open`);
      } else if (anonymous.status !== 401) failures.push(`${label} without a key: ${anonymous.status}, expected 401`);
      for (const scope of ['ingest', 'read', 'admin', 'internal'] as const) {
        const response = await call(spanlens.url, route, bearer(keys[scope]));
        const allowed = route.allowed === 'open' || route.allowed.includes(scope);
        if (allowed && [401, 403].includes(response.status)) failures.push(`${label} as ${scope}: ${response.status}, expected allowed (${await response.text()})`);
        if (!allowed && response.status !== 403) failures.push(`${label} as ${scope}: ${response.status}, expected 403`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('answers a malformed key, an unknown id and a wrong secret alike', async () => {
    const [, , id, secret] = keys.read.split('_');
    const wrongSecret = `sl_read_${id}_${secret!.replace(/^./, (c) => (c === '0' ? '1' : '0'))}`;
    const unknownId = `sl_read_${'0'.repeat(16)}_${secret}`;
    const wrongScope = `sl_admin_${id}_${secret}`;
    const answers = await Promise.all(
      ['nonsense', wrongSecret, unknownId, wrongScope, keys.read.slice(0, -1)].map(async (key) => {
        const response = await fetch(`${spanlens.url}/api/v1/costs?group_by=feature`, { headers: bearer(key) });
        return { status: response.status, body: await response.text() };
      }),
    );
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([401]));
    expect(new Set(answers.map((answer) => answer.body)).size).toBe(1);
  });

  it('accepts the OTLP header forms: Authorization (any case of Bearer), x-api-key and x-spanlens-key', async () => {
    const traces = routes.find((route) => route.path === '/v1/traces')!;
    const forms: Array<Record<string, string>> = [{ authorization: `bearer ${keys.ingest}` }, { 'x-api-key': keys.ingest }, { 'x-spanlens-key': keys.ingest }];
    for (const headers of forms) {
      expect((await call(spanlens.url, { ...traces, body: otlpJsonRequest([llmSpan]) }, headers)).status).toBe(200);
    }
    expect((await call(spanlens.url, traces, { authorization: `Basic ${keys.ingest}` })).status).toBe(401);
  });

  it('stops accepting a revoked key at once, and keeps the other keys working', async () => {
    const doomed = await (await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: { ...bearer(keys.admin), 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'read', name: 'doomed' }) })).json() as { key: string; id: string };
    const get = (key: string) => fetch(`${spanlens.url}/api/v1/costs?group_by=feature`, { headers: bearer(key) });
    expect((await get(doomed.key)).status).toBe(200);
    const revoked = await runSpanlensCli(['keys', 'revoke', doomed.id], { ...env, SPANLENS_API_KEY: keys.admin });
    expect(revoked.status, revoked.stderr).toBe(0);
    expect((await get(doomed.key)).status).toBe(401);
    expect((await get(keys.read)).status).toBe(200);
    const list = await runSpanlensCli(['keys', 'list', '--json'], { ...env, SPANLENS_API_KEY: keys.admin });
    const listed = (JSON.parse(list.stdout) as { keys: Array<{ id: string; revoked_at: string | null; last_used_at: string | null; scope: string }> }).keys;
    expect(listed.find((key) => key.id === doomed.id)?.revoked_at).toBeTruthy();
    expect(listed.find((key) => key.id === adminId)?.last_used_at).toBeTruthy();
    expect(listed.filter((key) => key.revoked_at === null).map((key) => key.scope).sort()).toEqual(['admin', 'ingest', 'internal', 'read']);
  }, 60_000);

  it("keeps an application's ingest key out of /internal (it could store spans unredacted and unpriced there) and gives the internal key no key hash", async () => {
    // Straight into the store, past redaction, pricing and rate limits: refused to an application's key.
    const envelope = { schema_version: spanEnvelopeVersion, spans: [] };
    const direct = await fetch(`${spanlens.url}/internal/v1/spans`, { method: 'POST', headers: { ...bearer(keys.ingest), 'content-type': 'application/json' }, body: JSON.stringify(envelope) });
    expect(direct.status).toBe(403);
    expect(((await direct.json()) as { message: string }).message).toMatch(/needs scope internal/);
    const asInternal = bearer(keys.internal);
    for (const route of routes) for (const key of [keys.ingest, keys.internal]) answered.push(await (await call(spanlens.url, route, bearer(key))).text());
    const table = await fetch(`${spanlens.url}/internal/v1/keys`, { headers: asInternal });
    expect(table.status).toBe(404);
    const verify = (key: string, headers: Record<string, string> = asInternal) => fetch(`${spanlens.url}/internal/v1/keys/verify`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    // Another key's scope and id, which its holder could learn by presenting it anywhere: nothing else.
    const adminAnswer = await (await verify(keys.admin)).json() as Record<string, unknown>;
    expect(Object.keys(adminAnswer).sort()).toEqual(['id', 'ok', 'revision', 'scope']);
    expect(adminAnswer).toMatchObject({ ok: true, id: adminId, scope: 'admin' });
    const wrong = await (await verify(`${keys.admin.slice(0, -1)}${keys.admin.endsWith('0') ? '1' : '0'}`)).json() as Record<string, unknown>;
    expect(Object.keys(wrong).sort()).toEqual(['ok', 'revision']);
    expect(wrong.ok).toBe(false);
    const state = await (await fetch(`${spanlens.url}/internal/v1/keys/state`, { headers: asInternal })).json() as Record<string, unknown>;
    expect(Object.keys(state).sort()).toEqual(['enforcing', 'revision']);
    // Only an internal key may ask; an ingest, read or admin key may not, and no key at all gets 401.
    for (const key of [keys.ingest, keys.read, keys.admin]) expect((await verify(keys.ingest, bearer(key))).status).toBe(403);
    expect((await verify(keys.ingest, {})).status).toBe(401);
    answered.push(JSON.stringify(adminAnswer), JSON.stringify(wrong), JSON.stringify(state));
    // scrypt hashes are 64 hex digits and salts 32; nothing answered to either key names or holds one.
    for (const body of answered) {
      expect(body).not.toMatch(/"(salt|hash)"\s*:/);
      expect(body).not.toMatch(/\b[0-9a-f]{64}\b/);
    }
  }, 120_000);

  it('makes the owner refuse a caller that guesses keys through it (429), while known keys still verify', async () => {
    // A key of its own, so that the guesses count against no key another test uses.
    const guesser = await (await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: { ...bearer(keys.admin), 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'internal', name: 'guesser' }) })).json() as { key: string };
    const verify = (key: string) => fetch(`${spanlens.url}/internal/v1/keys/verify`, { method: 'POST', headers: { ...bearer(guesser.key), 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
    const guess = (i: number) => `sl_admin_${i.toString(16).padStart(16, '0')}_${'e'.repeat(64)}`;
    let limited: Response | undefined;
    let refused = 0;
    const started = Date.now();
    for (let batch = 0; batch < 20 && !limited; batch++) {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => verify(guess(batch * 40 + i))));
      refused += answers.filter((answer) => answer.status === 200).length;
      limited = answers.find((answer) => answer.status === 429);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A burst of 100 guesses, then 10 a second (plus the guesses already in flight when the limit was met), as at the door.
    expect(refused).toBeLessThanOrEqual(100 + 10 * Math.ceil((Date.now() - started) / 1000) + 40);
    // A key the owner has verified before still verifies for the blocked caller.
    expect(await (await verify(keys.read)).json()).toMatchObject({ ok: true, scope: 'read' });
  }, 120_000);

  it('lets a collector without a store check keys through its owner, and refuses a key revoked there within 2 s', async () => {
    const collector = await startCollector(kafkaSetup(testKafkaBrokers(), 'security'), { SPANLENS_STORAGE_OWNER_URL: spanlens.url, SPANLENS_API_KEY: keys.internal, SPANLENS_LOG_LEVEL: 'warn' });
    try {
      const traces = (headers: Record<string, string>) => fetch(`${collector.url}/v1/traces`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(otlpJsonRequest([llmSpan])) });
      expect((await traces(bearer(keys.ingest))).status).toBe(200);
      expect((await traces({})).status).toBe(401);
      expect((await traces(bearer(`${keys.ingest.slice(0, -1)}${keys.ingest.endsWith('0') ? '1' : '0'}`))).status).toBe(401);
      expect((await traces(bearer(keys.read))).status).toBe(403);
      expect((await traces(bearer(keys.admin))).status).toBe(403);
      // The collector has no key table to give either.
      expect((await fetch(`${collector.url}/internal/v1/keys`, { headers: bearer(keys.internal) })).status).toBe(404);

      const adminJson = { ...bearer(keys.admin), 'content-type': 'application/json' };
      const doomed = await (await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: adminJson, body: JSON.stringify({ scope: 'ingest', name: 'doomed collector key' }) })).json() as { key: string; id: string };
      // A new key is accepted within one poll of the owner's table revision, then remembered.
      let accepted = false;
      const acceptBy = Date.now() + 3_000;
      while (!accepted && Date.now() < acceptBy) {
        accepted = (await traces(bearer(doomed.key))).status === 200;
        if (!accepted) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(accepted).toBe(true);
      expect((await fetch(`${spanlens.url}/api/v1/keys/${doomed.id}/revoke`, { method: 'POST', headers: bearer(keys.admin) })).status).toBe(200);
      const revokedAt = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - revokedAt < 10_000) {
        status = (await traces(bearer(doomed.key))).status;
        if (status === 200) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const tookMs = Date.now() - revokedAt;
      expect(status).toBe(401);
      // The collector reads the owner's revision every 2 s; a second more for the request and a slow machine.
      expect(tookMs).toBeLessThan(3_000);
      expect((await traces(bearer(keys.ingest))).status).toBe(200);
    } finally {
      await collector.kill9();
    }
    // A process that asks the owner without a key of its own is told which setting to set.
    // So is one that presents an application's ingest key.
    for (const key of [undefined, keys.ingest]) {
      const config = loadConfig({ env: { SPANLENS_STORAGE_OWNER_URL: spanlens.url, SPANLENS_ROLES: 'collector', ...(key ? { SPANLENS_API_KEY: key } : {}) }, cwd: dataDir });
      await expect(startProcessKeys({ client: undefined, config, logger: createLogger({ level: 'silent' }) })).rejects.toThrow(/set auth\.api_key \(SPANLENS_API_KEY\) to an internal key \(spanlens keys create --scope internal\)/);
    }
  }, 120_000);

  it('records admin actions in the audit log, by key id, with no personal data', async () => {
    const silence = await (await fetch(`${spanlens.url}/api/v1/silences`, {
      method: 'POST',
      headers: { ...bearer(keys.admin), 'content-type': 'application/json' },
      body: JSON.stringify({ matchers: [{ name: 'rule', value: 'cost_spike' }], ends_at: new Date(now + 3_600_000).toISOString(), created_by: 'alice@example.com', comment: 'deploy window' }),
    })).json() as { id: string };
    expect((await fetch(`${spanlens.url}/api/v1/silences/${silence.id}`, { method: 'DELETE', headers: bearer(keys.admin) })).status).toBe(200);
    const adminJson = { ...bearer(keys.admin), 'content-type': 'application/json' };
    const made = await (await fetch(`${spanlens.url}/api/v1/keys`, { method: 'POST', headers: adminJson, body: JSON.stringify({ scope: 'ingest' }) })).json() as { id: string };
    expect((await fetch(`${spanlens.url}/api/v1/keys/${made.id}`, { method: 'DELETE', headers: bearer(keys.admin) })).status).toBe(200);
    expect((await fetch(`${spanlens.url}/api/v1/jobs/rollup/run`, { method: 'POST', headers: adminJson, body: '{}' })).status).toBe(200);
    const erasure = await fetch(`${spanlens.url}/api/v1/erasure`, { method: 'POST', headers: adminJson, body: JSON.stringify({ user_id: 'bob@example.com' }) });
    expect(erasure.status).toBe(200);
    const erased = (await erasure.json()) as { request_id: string };
    // The audit entry is written once the answer is sent.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const audit = await (await fetch(`${spanlens.url}/api/v1/audit`, { headers: bearer(keys.admin) })).json() as { entries: Array<{ actor: string; action: string; target: string; detail: string }> };
    const seen = audit.entries.map((entry) => `${entry.actor} ${entry.action} ${entry.target}`);
    expect(seen).toContain(`local-cli key.create ${adminId}`);
    expect(seen).toContain(`${adminId} silence.create ${silence.id}`);
    expect(seen).toContain(`${adminId} silence.delete ${silence.id}`);
    expect(seen).toContain(`${adminId} key.create ${made.id}`);
    expect(seen).toContain(`${adminId} key.revoke ${made.id}`);
    expect(seen).toContain(`${adminId} job.run rollup`);
    expect(seen).toContain(`${adminId} erasure.request ${erased.request_id}`);
    expect(JSON.stringify(audit)).not.toContain('alice@example.com');
    expect(JSON.stringify(audit)).not.toContain('bob@example.com');
  });

  it('stores no usable key: every stored value, tried as a key, is refused', async () => {
    await spanlens.interrupt();
    // The server is gone: list through the store, then read the raw table.
    const list = await runSpanlensCli(['keys', 'list'], env);
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+SCOPE\s+CREATED\s+LAST USED\s+REVOKED$/m);
    const client = await openClickHouse({ data_dir: dataDir, database: 'spanlens', clickhouse: { user: 'default', password: '' } });
    const rows = await (await client.query({ query: 'SELECT * FROM spanlens.api_keys', format: 'JSONEachRow' })).json<Record<string, unknown>>();
    await client.close();
    const dump = JSON.stringify(rows);
    // Nothing answered to the ingest or internal key earlier held a stored salt or hash.
    expect(answered.length).toBeGreaterThan(routes.length);
    for (const row of rows) {
      for (const body of answered) {
        expect(body).not.toContain(String(row.hash));
        expect(body).not.toContain(String(row.salt));
      }
    }
    for (const key of Object.values(keys)) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(key.split('_')[3]);
    }
    // Every stored value as it is, and the hash and salt put where the secret goes in a key of that row's id and scope.
    const candidates = [...new Set(rows.flatMap((row) => [
      ...Object.values(row).filter((value): value is string => typeof value === 'string' && value.length > 0),
      `sl_${String(row.scope)}_${String(row.id)}_${String(row.hash)}`,
      `sl_${String(row.scope)}_${String(row.id)}_${String(row.salt)}`,
    ]))];
    expect(candidates.length).toBeLessThan(100);
    spanlens = await startSpanlensProcess({ dataDir, env: { SPANLENS_LOG_LEVEL: 'warn' } });
    const statuses = new Set<number>();
    for (const candidate of candidates) {
      for (const path of ['/api/v1/costs?group_by=feature', '/api/v1/keys']) {
        statuses.add((await fetch(`${spanlens.url}${path}`, { headers: bearer(candidate) })).status);
      }
    }
    expect([...statuses]).toEqual([401]);
    // …while the real keys still work after the restart.
    expect((await fetch(`${spanlens.url}/api/v1/keys`, { headers: bearer(keys.admin) })).status).toBe(200);
  }, 180_000);

  it('slows down a client that guesses keys (each guess costs a slow hash), without locking out a key it already used', async () => {
    const guess = (i: number) => `sl_read_${i.toString(16).padStart(16, '0')}_${'f'.repeat(64)}`;
    const started = Date.now();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let batch = 0; batch < 20 && !limited; batch++) {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => fetch(`${spanlens.url}/api/v1/costs?group_by=feature`, { headers: bearer(guess(batch * 40 + i)) })));
      statuses.push(...answers.map((answer) => answer.status));
      limited = answers.find((answer) => answer.status === 429);
    }
    expect(limited?.status).toBe(429);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // A burst of 100 guesses, then 10 a second (plus the guesses already in flight when the limit was met).
    const refused = statuses.filter((status) => status === 401).length;
    expect(refused).toBeLessThanOrEqual(100 + 10 * Math.ceil((Date.now() - started) / 1000) + 40);
    expect((await fetch(`${spanlens.url}/api/v1/keys`, { headers: bearer(keys.admin) })).status).toBe(200);
  }, 120_000);
});

describe('binding without keys', () => {
  it('listens on loopback only and says so', async () => {
    const spanlens = await startSpanlensProcess({ dataDir: tempDataDir('spanlens-open-') });
    try {
      expect(new URL(spanlens.url).hostname).toBe('127.0.0.1');
      // The log (stderr) may arrive after the listening line (stdout): wait for it.
      await waitFor('the warning that no API keys exist', () => /no API keys exist/.test(spanlens.log()), 10_000, () => spanlens.log());
      // Open as before: no key needed anywhere.
      expect((await fetch(`${spanlens.url}/api/v1/keys`)).status).toBe(200);
    } finally {
      await spanlens.kill9();
    }
  });

  it('refuses to listen on a non-loopback address, naming the setting', async () => {
    const started = startSpanlensProcess({ dataDir: tempDataDir('spanlens-exposed-'), env: { SPANLENS_HOST: '0.0.0.0' } });
    await expect(started).rejects.toThrow(/server\.host \(SPANLENS_HOST\) is 0\.0\.0\.0, but no API keys exist/);
  });
});
