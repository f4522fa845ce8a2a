import type { Request, Response } from 'express';
import type { ClickHouseClient } from '@clickhouse/client';
import { costSeriesQuerySchema, costsQuerySchema, type CostReport, type CostSeries } from '@spanlens/core';
import type { z } from 'zod';
import { queryCostBuckets } from '../costs/query-cost-buckets';
import { queryCosts } from '../costs/query-costs';
import { picoToUsd } from '../costs/usd';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CostsHandlerOptions {
  client: ClickHouseClient;
  database: string;
  now?: () => Date;
}

type Parsed<T> = { ok: true; query: T; from: Date; to: Date } | { ok: false; message: string };

/** Validates a query string and its range (default: the 24 h before now); the message names what is wrong. */
function parseRangeQuery<S extends z.ZodType<{ from?: string; to?: string }>>(schema: S, raw: unknown, now: Date): Parsed<z.infer<S>> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      issue.code === 'unrecognized_keys' ? `unknown parameter ${issue.keys.join(', ')}` : `${issue.path.join('.') || 'query'}: ${issue.message}`,
    );
    return { ok: false, message: problems.join('; ') };
  }
  const to = parsed.data.to ? new Date(parsed.data.to) : now;
  const from = parsed.data.from ? new Date(parsed.data.from) : new Date(to.getTime() - DAY_MS);
  if (from.getTime() >= to.getTime()) return { ok: false, message: `from (${from.toISOString()}) must be before to (${to.toISOString()})` };
  return { ok: true, query: parsed.data, from, to };
}

/** `GET /api/v1/costs?group_by=…&from=…&to=…` — costs over a time range, grouped. */
export function createCostsHandler(options: CostsHandlerOptions) {
  const now = options.now ?? (() => new Date());
  return async function costs(req: Request, res: Response): Promise<void> {
    const parsed = parseRangeQuery(costsQuerySchema, req.query, now());
    if (!parsed.ok) {
      res.status(400).json({ error: 'bad_request', message: parsed.message });
      return;
    }
    const report: CostReport = await queryCosts(options.client, options.database, { groupBy: parsed.query.group_by, from: parsed.from, to: parsed.to });
    res.json(report);
  };
}

/**
 * `GET /api/v1/costs/series?group_by=…&interval=hour|day|month&from=…&to=…` —
 * the rollups over time: per bucket and key, cost, calls, tokens, errors and
 * latency. The buckets of a range add up exactly to `/costs` for it.
 */
export function createCostSeriesHandler(options: CostsHandlerOptions) {
  const now = options.now ?? (() => new Date());
  return async function costSeries(req: Request, res: Response): Promise<void> {
    const parsed = parseRangeQuery(costSeriesQuerySchema, req.query, now());
    if (!parsed.ok) {
      res.status(400).json({ error: 'bad_request', message: parsed.message });
      return;
    }
    const { group_by: groupBy, interval } = parsed.query;
    const buckets = await queryCostBuckets(options.client, options.database, { groupBy, from: parsed.from, to: parsed.to, unit: interval, withLatency: true });
    let totalPico = 0n;
    const points = buckets
      .map((bucket) => {
        totalPico += bucket.costPico;
        return {
          start: new Date(bucket.bucket).toISOString(),
          key: bucket.key,
          cost_usd: picoToUsd(bucket.costPico),
          calls: bucket.calls,
          input_tokens: bucket.inputTokens,
          output_tokens: bucket.outputTokens,
          cache_read_tokens: bucket.cacheReadTokens,
          reasoning_tokens: bucket.reasoningTokens,
          unpriced_calls: bucket.unpricedCalls,
          errors: bucket.errors,
          error_rate: bucket.calls > 0 ? bucket.errors / bucket.calls : 0,
          latency_ms: { mean: bucket.calls > 0 ? bucket.durationMsSum / bucket.calls : 0, ...bucket.latencyMs },
        };
      })
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : b.cost_usd - a.cost_usd));
    const series: CostSeries = { from: parsed.from.toISOString(), to: parsed.to.toISOString(), group_by: groupBy, interval, total_cost_usd: picoToUsd(totalPico), points };
    res.json(series);
  };
}
