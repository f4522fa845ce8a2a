import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, openClickHouse, spanEnvelopeVersion } from '@spanlens/core';
import { startProcessKeys } from '../cli/src/auth/process-keys';
import { runSpanlensCli } from './support/cli';
import { otlpJsonRequest } from './support/otlp-json';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';
import { waitFor } from './support/wait';

type Scope = 'ingest' | 'read' | 'admin';

interface RouteCase {
  method: string;
  path: string;
  body?: unknown;
  /** Scopes that must get through; `open` routes need no key at all. */
  allowed: Scope[] | 'open';
}

const now = Date.now();
const llmSpan = { startMs: now - 60_000, attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'spanlens.feature': 'security' } };
const range = `from=${encodeURIComponent(new Date(now - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now + 60_000).toISOString())}`;

/** Every route the all-roles process serves, with the scopes that may use it (README "Security"). */
const routes: RouteCase[] = [
  { method: 'GET', path: '/healthz', allowed: 'open' },
  { method: 'GET', path: '/readyz', allowed: 'open' },
  { method: 'GET', path: '/', allowed: 'open' },
  { method: 'GET', path: '/assets/dashboard.css', allowed: 'open' },
  { method: 'GET', path: '/metrics', allowed: ['read', 'admin'] },
  { method: 'POST', path: '/v1/traces', body: otlpJsonRequest([llmSpan]), allowed: ['ingest'] },
  { method: 'POST', path: '/v1/feedback', body: { trace_id: 'a'.repeat(32), score: 1 }, allowed: ['ingest'] },
  { method: 'POST', path: '/internal/v1/spans', body: { schema_version: spanEnvelopeVersion, spans: [] }, allowed: ['ingest'] },
  { method: 'POST', path: '/internal/v1/feedback', body: { schema_version: spanEnvelopeVersion, feedback: [] }, allowed: ['ingest'] },
  { method: 'GET', path: '/internal/v1/keys', allowed: ['ingest'] },
  { method: 'GET', path: '/api/v1/costs?group_by=feature', allowed: ['read', 'admin'] },
  { method: 'GET', path: `/api/v1/costs/series?group_by=feature&interval=hour&${range}`, allowed: ['read', 'admin'] },
  { method: 'GET', path: `/api/v1/reports/cost?by=feature&${range}&format=json`, allowed: ['read', 'admin'] },
  { method: 'GET', path: '/api/v1/satisfaction', allowed: ['read', 'admin'] },
  { method: 'GET', path: '/api/v1/drift', allowed: ['read', 'admin'] },
  { method: 'GET', path: '/api/v1/digest', allowed: ['read', 'admin'] },
  { method: 'GET', path: '/api/v1/alerts', allowed: ['read', 'admin'] },
  { method: 'GET', path: '/api/v1/silences', allowed: ['read', 'admin'] },
  { method: 'GET', path: '/api/v1/jobs', allowed: ['read', 'admin'] },
  { method: 'POST', path: '/api/v1/alerts/test', body: { yaml: 'rules: []' }, allowed: ['read', 'admin'] },
  { method: 'POST', path: '/api/v1/silences', body: { matchers: [{ name: 'rule', value: 'x' }], ends_at: new Date(now + 3_600_000).toISOString() }, allowed: ['admin'] },
  { method: 'DELETE', path: '/api/v1/silences/no-such-silence', allowed: ['admin'] },
  { method: 'POST', path: '/api/v1/jobs/rollup/run', body: {}, allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/keys', allowed: ['admin'] },
  // A bad scope: the admin gets 400, so no key is made by this table.
  { method: 'POST', path: '/api/v1/keys', body: { scope: 'root' }, allowed: ['admin'] },
  { method: 'POST', path: '/api/v1/keys/0000000000000000/revoke', allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/audit', allowed: ['admin'] },
  // Admin-only by prefix, whether or not the erasure route is mounted (400 or 404 for the admin).
  { method: 'POST', path: '/api/v1/erasure', body: {}, allowed: ['admin'] },
  // Express matches case-insensitively and ignores a trailing slash; so does the check.
  { method: 'POST', path: '/API/V1/SILENCES', body: {}, allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/keys/', allowed: ['admin'] },
  { method: 'GET', path: '/api/v1/%6beys', allowed: ['admin'] },
];

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
      for (const scope of ['ingest', 'read', 'admin'] as const) {
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
    expect(listed.filter((key) => key.revoked_at === null).map((key) => key.scope).sort()).toEqual(['admin', 'ingest', 'read']);
  }, 60_000);

  it('lets a process without a store check keys with the table its owner shares (hashes only)', async () => {
    const config = loadConfig({ env: { SPANLENS_STORAGE_OWNER_URL: spanlens.url, SPANLENS_API_KEY: keys.ingest, SPANLENS_ROLES: 'collector' }, cwd: dataDir });
    const processKeys = await startProcessKeys({ client: undefined, config, logger: createLogger({ level: 'silent' }) });
    try {
      expect(processKeys.source).toBe('owner');
      expect(processKeys.verifier.enforcing).toBe(true);
      expect(await processKeys.verifier.verify(keys.ingest)).toMatchObject({ ok: true, scope: 'ingest' });
      expect(await processKeys.verifier.verify(`${keys.ingest.slice(0, -1)}0`)).toEqual({ ok: false });
    } finally {
      await processKeys.close();
    }
    const shared = await (await fetch(`${spanlens.url}/internal/v1/keys`, { headers: bearer(keys.ingest) })).json() as { keys: Array<{ name: string }> };
    expect(shared.keys.every((key) => key.name === '')).toBe(true);
    const withoutKey = loadConfig({ env: { SPANLENS_STORAGE_OWNER_URL: spanlens.url, SPANLENS_ROLES: 'collector' }, cwd: dataDir });
    await expect(startProcessKeys({ client: undefined, config: withoutKey, logger: createLogger({ level: 'silent' }) })).rejects.toThrow(/set auth\.api_key \(SPANLENS_API_KEY\) to an ingest key/);
  });

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
