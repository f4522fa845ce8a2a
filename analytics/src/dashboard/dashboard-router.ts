import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Router, type Request, type Response } from 'express';
import { appShell, dashboardPages } from './app-shell';
import { bundleClient } from './bundle-client';

/**
 * The pages show span attributes, which applications control: nothing but
 * this server's own scripts may run, whatever a value contains. echarts sets
 * inline styles, hence 'unsafe-inline' for styles only.
 */
const contentSecurityPolicy =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const echartsPath = createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js');
const stylesPath = fileURLToPath(new URL('../../web/dashboard.css', import.meta.url));

/**
 * The web dashboard: its pages (one app shell) and its assets, all served
 * from this process and the echarts package, nothing from the internet. It
 * answers only GET on its own paths, so the OTLP receiver, the API, /metrics
 * and /healthz keep theirs whatever the order of mounting. The pages read
 * only the HTTP API under /api/v1.
 */
export function createDashboardRouter(): Router {
  const router = Router();
  const version = Date.now().toString(36);
  const shell = appShell(version);
  let bundled: Promise<string> | undefined;
  const bundle = () => {
    // A failed build is not kept, so a fixed file is picked up on the next request.
    bundled ??= bundleClient().catch((error: unknown) => {
      bundled = undefined;
      throw error;
    });
    return bundled;
  };

  const page = (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('Content-Security-Policy', contentSecurityPolicy);
    res.type('html').send(shell);
  };
  // One route per page, so that request metrics, labelled by route, name the page.
  for (const path of dashboardPages) router.get(path, page);
  router.get('/assets/dashboard.js', async (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=86400, immutable');
    res.type('text/javascript').send(await bundle());
  });
  router.get('/assets/dashboard.css', (_req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'public, max-age=86400, immutable');
    res.type('text/css').send(readFileSync(stylesPath, 'utf8'));
  });
  router.get('/assets/echarts.min.js', (_req: Request, res: Response) => {
    // pnpm keeps packages under node_modules/.pnpm, which send() would refuse as a dot-directory.
    res.sendFile(echartsPath, { maxAge: '1d', immutable: true, dotfiles: 'allow' });
  });
  return router;
}
