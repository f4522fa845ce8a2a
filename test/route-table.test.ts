import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig } from '@spanlens/core';
import { startSpanlens, type RunningSpanlens } from '../cli/src/index';
import { routesWithoutCase, scopeRoutes } from './support/route-table';
import { tempDataDir } from './support/spanlens-process';

// The scope test (security.test.ts) runs against a separate process; this
// one starts the same all-roles process here, to read the routes it registers.
describe('the scope table of the security test', () => {
  let spanlens: RunningSpanlens;
  beforeAll(async () => {
    const config = loadConfig({ env: { SPANLENS_PORT: '0', SPANLENS_DATA_DIR: tempDataDir('spanlens-routes-') }, cwd: tempDataDir() });
    spanlens = await startSpanlens(config, createLogger({ level: 'silent' }));
  });
  afterAll(async () => spanlens?.close());

  it('has a case for every route the all-roles process registers', () => {
    // A floor, so that a listing that found nothing cannot pass.
    expect(spanlens.routes.length).toBeGreaterThan(40);
    expect(spanlens.routes).toContain('DELETE /api/v1/keys/:id');
    expect(spanlens.routes).toEqual(expect.arrayContaining(['GET /api/v1/prices', 'PUT /api/v1/prices', 'PUT /api/v1/prices/:model', 'DELETE /api/v1/prices/:model', 'GET /internal/v1/prices/state', 'GET /internal/v1/prices']));
    expect(routesWithoutCase(spanlens.routes, scopeRoutes)).toEqual([]);
  });

  it('notices a route without a case', () => {
    expect(routesWithoutCase([...spanlens.routes, 'PATCH /api/v1/prices/:model'], scopeRoutes)).toEqual(['PATCH /api/v1/prices/:model']);
  });

  it('no longer serves the key table to anyone', () => {
    expect(spanlens.routes.filter((route) => /^GET \/internal\/v1\/keys$/i.test(route))).toEqual([]);
  });
});
