import type express from 'express';

/** What an Express 5 router keeps of each `use`, `get`, `post`…: enough to list routes. */
interface StackLayer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: StackLayer[] };
}

/**
 * Every route an app registers, as `METHOD /path` with Express's own
 * parameters (`/api/v1/keys/:id`), walking mounted routers. The security
 * tests compare it with their table of routes and scopes, so a route added
 * later cannot go untested.
 */
export function listRoutes(app: express.Express): string[] {
  const router = (app as unknown as { router?: { stack: StackLayer[] } }).router;
  return router ? walk(router.stack, '') : [];
}

function walk(stack: readonly StackLayer[], prefix: string): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      for (const path of [layer.route.path].flat()) {
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') found.push(`${method.toUpperCase()} ${join(prefix, String(path))}`);
        }
      }
    } else if (layer.handle?.stack) {
      for (const path of [layer.rawPath].flat()) found.push(...walk(layer.handle.stack, join(prefix, typeof path === 'string' ? path : '/')));
    }
  }
  return found;
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/{2,}/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}
