import type { NextFunction, Request, Response } from 'express';
import type { ClickHouseClient } from '@clickhouse/client';
import { localCliActor, recordAudit, type Logger } from '@spanlens/core';
import { normalisePath } from './route-access';

/** Who did it: the key id, or `local-cli` when no keys exist (only loopback clients can reach the server then). */
export function auditActor(res: Response): string {
  return typeof res.locals.apiKeyId === 'string' ? res.locals.apiKeyId : localCliActor;
}

interface AdminAction {
  action: string;
  /** The object acted on, from the path or (for a creation) the answer's `id`. */
  target: (answer: unknown) => string;
  /** Counts from the answer, never its text: an erasure's answer is counts, but is read field by field all the same. */
  detail?: (answer: unknown) => Record<string, number>;
}

const erasureCounts = ['spans_deleted', 'feedback_deleted', 'alert_rows_deleted', 'hours_rebuilt', 'days_rebuilt', 'aggregate_rows_deleted'];

/**
 * Admin actions of routes that other packages own (silences, job runs,
 * erasure), recorded once they succeed. Key management records its own
 * entries. An erasure is recorded by its request id and counts only: the
 * request names a user, the audit log never does.
 */
function adminAction(method: string, path: string): AdminAction | undefined {
  const parts = normalisePath(path).split('/').filter(Boolean);
  if (parts[0] !== 'api' || parts[1] !== 'v1') return undefined;
  const rest = parts.slice(2);
  if (method === 'POST' && rest.length === 1 && rest[0] === 'silences') {
    return { action: 'silence.create', target: (answer) => String((answer as { id?: unknown } | undefined)?.id ?? '') };
  }
  if (method === 'DELETE' && rest.length === 2 && rest[0] === 'silences') return { action: 'silence.delete', target: () => rest[1]! };
  if (method === 'POST' && rest.length === 3 && rest[0] === 'jobs' && rest[2] === 'run') return { action: 'job.run', target: () => rest[1]! };
  if (method === 'POST' && rest.length === 1 && rest[0] === 'erasure') {
    return {
      action: 'erasure.request',
      target: (answer) => String((answer as { request_id?: unknown } | undefined)?.request_id ?? ''),
      detail: (answer) => Object.fromEntries(erasureCounts.map((name) => [name, Number((answer as Record<string, unknown> | undefined)?.[name] ?? 0)])),
    };
  }
  return undefined;
}

/** Writes an audit entry after a successful silence change or job run through the API. */
export function createAdminAudit(options: { client: ClickHouseClient; database: string; logger: Logger }) {
  return function auditAdminActions(req: Request, res: Response, next: NextFunction): void {
    const action = adminAction(req.method, req.originalUrl.split('?')[0] ?? '');
    if (!action) return next();
    let answer: unknown;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      answer = body;
      return json(body);
    };
    res.on('finish', () => {
      // A run that failed still ran (the API answers it 500 with its record); a refused request did nothing.
      if (res.statusCode >= 400 && !(action.action === 'job.run' && res.statusCode === 500)) return;
      const entry = { actor: auditActor(res), action: action.action, target: action.target(answer), detail: { status: res.statusCode, ...action.detail?.(answer) } };
      recordAudit(options.client, options.database, entry).catch((error: unknown) => options.logger.error({ err: error, action: entry.action }, 'audit entry not written'));
    });
    next();
  };
}
