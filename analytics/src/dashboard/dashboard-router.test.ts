import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDashboardRouter } from './dashboard-router';

let base = '';
let close: () => void = () => undefined;
beforeAll(async () => {
  const app = express();
  app.use('/api/v1', (_req, res) => void res.json({ api: true }));
  app.use(createDashboardRouter());
  app.use((_req, res) => void res.status(404).json({ error: 'not_found' }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

describe('createDashboardRouter', () => {
  it('serves the app shell on every page path, with its query string', async () => {
    for (const path of ['/', '/features', '/users/', '/prompts?prompt=checkout', '/alerts', '/drift']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await response.text()).toContain('/assets/dashboard.js');
    }
  });

  it('bundles the browser code and serves echarts from its package, nothing from elsewhere', async () => {
    const bundle = await fetch(`${base}/assets/dashboard.js`);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    const code = await bundle.text();
    expect(code).toContain('/api/v1');
    expect(code).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[a-z]/i);
    const echarts = await fetch(`${base}/assets/echarts.min.js`);
    expect(echarts.status).toBe(200);
    expect((await echarts.text()).length).toBeGreaterThan(500_000);
    expect((await fetch(`${base}/assets/dashboard.css`)).status).toBe(200);
  }, 30_000);

  it('leaves every other path alone', async () => {
    expect(await (await fetch(`${base}/api/v1/costs`)).json()).toEqual({ api: true });
    for (const path of ['/v1/traces', '/metrics', '/healthz', '/internal/v1/spans', '/features/x', '/assets/other.js']) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
  });
});
