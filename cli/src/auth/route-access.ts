import type { KeyScope } from '@spanlens/core';

/** What a request needs: nothing, or a key whose scope grants one of these. */
export type RouteAccess = { open: true } | { open: false; scopes: readonly KeyScope[] };

const open: RouteAccess = { open: true };
const ingest: RouteAccess = { open: false, scopes: ['ingest'] };
const read: RouteAccess = { open: false, scopes: ['read', 'admin'] };
const admin: RouteAccess = { open: false, scopes: ['admin'] };
/** Spanlens's own processes only: these routes take spans as already redacted and priced (see keyScopes). */
const internal: RouteAccess = { open: false, scopes: ['internal'] };

/** Admin-only prefixes under /api/v1, whatever the method: key management, erasure, the audit log. */
const adminPrefixes = ['/api/v1/keys', '/api/v1/erasure', '/api/v1/audit'];
/** Writes under /api/v1 that only read data, and so are allowed to read keys. */
const readWrites = new Set(['POST /api/v1/alerts/test']);

/**
 * The access a route needs, decided on a normalised path (percent-decoded,
 * lower-cased, without repeated or trailing slashes) because Express matches
 * routes case-insensitively and ignores a trailing slash. Anything under
 * /api, /v1 or /internal not named here needs the strictest scope that
 * could apply, so a route added later is never open by accident. Everything
 * else — health, the dashboard's own pages and assets, unknown paths that
 * end in 404 — is open: the dashboard is static and fetches its data from
 * /api/v1 with a key.
 */
export function routeAccess(method: string, rawPath: string): RouteAccess {
  const path = normalisePath(rawPath);
  const verb = method.toUpperCase();
  if (path === '/healthz' || path === '/readyz') return open;
  if (path === '/metrics') return read;
  if (path.startsWith('/internal/')) return internal;
  if (path === '/v1/traces' || path === '/v1/feedback') return ingest;
  if (path.startsWith('/v1/')) return ingest;
  if (path === '/api' || path.startsWith('/api/')) {
    if (adminPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return admin;
    if (verb === 'GET' || verb === 'HEAD') return read;
    if (readWrites.has(`${verb} ${path}`)) return read;
    return admin;
  }
  return open;
}

/** A malformed percent-encoding is kept as sent: Express will not match it to a route either. */
export function normalisePath(rawPath: string): string {
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    path = rawPath;
  }
  path = path.toLowerCase().replace(/\/{2,}/g, '/');
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return path;
}
