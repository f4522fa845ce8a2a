import { describe, expect, it } from 'vitest';
import { routeAccess } from './route-access';

const scopes = (method: string, path: string) => {
  const access = routeAccess(method, path);
  return access.open ? 'open' : access.scopes.join('|');
};

describe('routeAccess', () => {
  it.each([
    ['GET', '/healthz', 'open'],
    ['GET', '/', 'open'],
    ['GET', '/assets/dashboard.js', 'open'],
    ['GET', '/metrics', 'read|admin'],
    ['POST', '/v1/traces', 'ingest'],
    ['POST', '/internal/v1/spans', 'internal'],
    ['POST', '/internal/v1/keys/verify', 'internal'],
    ['GET', '/internal/v1/keys/state', 'internal'],
    ['GET', '/api/v1/costs', 'read|admin'],
    ['POST', '/api/v1/alerts/test', 'read|admin'],
    ['POST', '/api/v1/silences', 'admin'],
    ['DELETE', '/api/v1/silences/x', 'admin'],
    ['POST', '/api/v1/jobs/rollup/run', 'admin'],
    ['GET', '/api/v1/keys', 'admin'],
    ['GET', '/API/V1/Keys/', 'admin'],
    ['GET', '/api/v1/%6beys', 'admin'],
    ['GET', '/api//v1/keys', 'admin'],
    ['POST', '/api/v1/erasure', 'admin'],
    ['GET', '/api/v1/erasure/123', 'admin'],
    ['GET', '/api/v1/prices', 'read|admin'],
    ['PUT', '/api/v1/prices', 'admin'],
    ['PUT', '/api/v1/prices/gpt-4o', 'admin'],
    ['DELETE', '/api/v1/prices/gpt-4o', 'admin'],
    ['GET', '/internal/v1/prices/state', 'internal'],
    ['GET', '/internal/v1/prices', 'internal'],
    ['PUT', '/api/v1/some-future-route', 'admin'],
  ])('%s %s needs %s', (method, path, expected) => {
    expect(scopes(method, path)).toBe(expected);
  });
});
