import type { Request, Response } from 'express';
import type { ClickHouseClient } from '@clickhouse/client';
import { costsQuerySchema, type CostReport } from '@spanlens/core';
import { queryCosts } from '../costs/query-costs';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CostsHandlerOptions {
  client: ClickHouseClient;
  database: string;
  now?: () => Date;
}

/** `GET /api/v1/costs?group_by=…&from=…&to=…` — costs over a time range, grouped. */
export function createCostsHandler(options: CostsHandlerOptions) {
  const now = options.now ?? (() => new Date());
  return async function costs(req: Request, res: Response): Promise<void> {
    const parsed = costsQuerySchema.safeParse(req.query);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) =>
        issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}` : `${issue.path.join('.') || 'query'}: ${issue.message}`,
      );
      res.status(400).json({ error: 'bad_request', message: problems.join('; ') });
      return;
    }
    const to = parsed.data.to ? new Date(parsed.data.to) : now();
    const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - DAY_MS);
    if (from.getTime() >= to.getTime()) {
      res.status(400).json({ error: 'bad_request', message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` });
      return;
    }
    const report: CostReport = await queryCosts(options.client, options.database, { groupBy: parsed.data.group_by, from, to });
    res.json(report);
  };
}
