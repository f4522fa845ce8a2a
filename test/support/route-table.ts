import { spanEnvelopeVersion } from '@spanlens/core';
import { otlpJsonRequest } from './otlp-json';

export type Scope = 'ingest' | 'read' | 'admin' | 'internal';

export interface RouteCase {
  method: string;
  path: string;
  body?: unknown;
  /** Scopes that must get through; `open` routes need no key at all. */
  allowed: Scope[] | 'open';
}

const now = Date.now();
export const llmSpan = { startMs: now - 60_000, attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 2, 'spanlens.feature': 'security' } };
const range = `from=${encodeURIComponent(new Date(now - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now + 60_000).toISOString())}`;

const read: Scope[] = ['read', 'admin'];
const admin: Scope[] = ['admin'];
/** Spanlens's own collectors and workers talking to the store owner: never an application's ingest key. */
const internal: Scope[] = ['internal'];

/**
 * Every route the all-roles process serves, with the scopes that may use it
 * (README "Security"). test/route-table.test.ts fails when the process
 * registers a route that no case here reaches. No case changes what another
 * test relies on: ids that do not exist, bodies the route refuses with 400.
 */
export const scopeRoutes: RouteCase[] = [
  { method: 'GET', path: '/healthz', allowed: 'open' },
  { method: 'GET', path: '/readyz', allowed: 'open' },
  // The dashboard: static pages and assets; its data comes from /api/v1 with a key.
  ...['/', '/features', '/users', '/prompts', '/alerts', '/drift'].map((path): RouteCase => ({ method: 'GET', path, allowed: 'open' })),
  { method: 'GET', path: '/assets/dashboard.js', allowed: 'open' },
  { method: 'GET', path: '/assets/dashboard.css', allowed: 'open' },
  { method: 'GET', path: '/assets/echarts.min.js', allowed: 'open' },
  { method: 'GET', path: '/metrics', allowed: read },
  { method: 'POST', path: '/v1/traces', body: otlpJsonRequest([llmSpan]), allowed: ['ingest'] },
  { method: 'POST', path: '/v1/feedback', body: { trace_id: 'a'.repeat(32), score: 1 }, allowed: ['ingest'] },
  { method: 'POST', path: '/internal/v1/spans', body: { schema_version: spanEnvelopeVersion, spans: [] }, allowed: internal },
  { method: 'POST', path: '/internal/v1/feedback', body: { schema_version: spanEnvelopeVersion, feedback: [] }, allowed: internal },
  { method: 'GET', path: '/internal/v1/keys/state', allowed: internal },
  { method: 'POST', path: '/internal/v1/keys/verify', body: { key: 'not a key' }, allowed: internal },
  { method: 'GET', path: '/api/v1/costs?group_by=feature', allowed: read },
  { method: 'GET', path: `/api/v1/costs/series?group_by=feature&interval=hour&${range}`, allowed: read },
  { method: 'GET', path: `/api/v1/reports/cost?by=feature&${range}&format=json`, allowed: read },
  { method: 'GET', path: '/api/v1/satisfaction', allowed: read },
  { method: 'GET', path: '/api/v1/drift', allowed: read },
  { method: 'GET', path: '/api/v1/drift/distributions?subject_kind=feature&subject=security&metric=latency_ms', allowed: read },
  { method: 'GET', path: '/api/v1/prompts/no-such-prompt/versions', allowed: read },
  { method: 'GET', path: '/api/v1/digest', allowed: read },
  { method: 'GET', path: '/api/v1/annotations/callsites', allowed: read },
  { method: 'GET', path: '/api/v1/annotations/prompts', allowed: read },
  { method: 'GET', path: `/api/v1/overview?${range}`, allowed: read },
  { method: 'GET', path: '/api/v1/overview/status', allowed: read },
  { method: 'GET', path: `/api/v1/overview/series?group_by=feature&interval=hour&${range}`, allowed: read },
  { method: 'GET', path: `/api/v1/breakdown?group_by=feature&then=user&${range}`, allowed: read },
  { method: 'GET', path: '/api/v1/alert-history', allowed: read },
  { method: 'GET', path: '/api/v1/alerts', allowed: read },
  { method: 'GET', path: '/api/v1/silences', allowed: read },
  { method: 'GET', path: '/api/v1/jobs', allowed: read },
  { method: 'POST', path: '/api/v1/alerts/test', body: { yaml: 'rules: []' }, allowed: read },
  { method: 'POST', path: '/api/v1/silences', body: { matchers: [{ name: 'rule', value: 'x' }], ends_at: new Date(now + 3_600_000).toISOString() }, allowed: admin },
  { method: 'DELETE', path: '/api/v1/silences/no-such-silence', allowed: admin },
  { method: 'POST', path: '/api/v1/jobs/rollup/run', body: {}, allowed: admin },
  { method: 'GET', path: '/internal/v1/prices/state', allowed: internal },
  { method: 'GET', path: '/internal/v1/prices', allowed: internal },
  { method: 'GET', path: '/api/v1/prices', allowed: read },
  { method: 'GET', path: '/api/v1/prices?model=gpt-4o&provider=openai', allowed: read },
  // Negative prices: the admin gets 400, so no price is set by this table.
  { method: 'PUT', path: '/api/v1/prices', body: { model: 'gpt-4o', input_per_mtok: -1 }, allowed: admin },
  { method: 'PUT', path: '/api/v1/prices/gpt-4o', body: { input_per_mtok: -1 }, allowed: admin },
  { method: 'DELETE', path: '/api/v1/prices/no-such-model', allowed: admin },
  { method: 'GET', path: '/api/v1/keys', allowed: admin },
  // A bad scope: the admin gets 400, so no key is made by this table.
  { method: 'POST', path: '/api/v1/keys', body: { scope: 'root' }, allowed: admin },
  { method: 'POST', path: '/api/v1/keys/0000000000000000/revoke', allowed: admin },
  { method: 'DELETE', path: '/api/v1/keys/0000000000000000', allowed: admin },
  { method: 'GET', path: '/api/v1/audit', allowed: admin },
  // An empty body: the admin gets 400.
  { method: 'POST', path: '/api/v1/erasure', body: {}, allowed: admin },
  // Admin-only by prefix, whether or not a route is mounted there (404 for the admin).
  { method: 'GET', path: '/api/v1/erasure/123', allowed: admin },
  // The key table that the owner once shared with ingest keys is gone (404 for internal); /internal is never ingest's, read's or admin's.
  { method: 'GET', path: '/internal/v1/keys', allowed: internal },
  // Express matches case-insensitively and ignores a trailing slash; so does the check.
  { method: 'POST', path: '/API/V1/SILENCES', body: {}, allowed: admin },
  { method: 'GET', path: '/api/v1/keys/', allowed: admin },
  { method: 'GET', path: '/api/v1/%6beys', allowed: admin },
];

/**
 * The registered routes (`METHOD /path/:param`, as listed by the server)
 * that no case reaches: a case reaches a route when its method is the same
 * and its path, without the query, matches the route's pattern as Express
 * matches it (case-insensitively, a parameter standing for one segment).
 */
export function routesWithoutCase(registered: readonly string[], cases: readonly RouteCase[]): string[] {
  return registered.filter((route) => {
    const [method, pattern] = route.split(' ') as [string, string];
    const source = pattern.split('/').map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    const matcher = new RegExp(`^${source}/?$`, 'i');
    return !cases.some((candidate) => candidate.method === method && matcher.test(candidate.path.split('?')[0]!));
  });
}
