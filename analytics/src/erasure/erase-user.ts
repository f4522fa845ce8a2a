/**
 * Erasure on request (GDPR art. 17): removes one user's spans (with their
 * captured content), their feedback and the feedback on their calls, alert
 * state grouped by them, and rebuilds every rollup hour and day that held
 * their figures, so that no query returns anything of theirs, while everyone
 * else's figures stay as they were.
 *
 * Aggregates without a user id that still counted them go too: every stored
 * satisfaction window, drift run and daily digest whose time range reached
 * their calls or votes is deleted, and the current ones are computed again
 * without them (readers show the latest of each; the older ones were history
 * that a raw query could still read).
 *
 * The id is erased as given and as the collector stores it: personal data in
 * an id is replaced by a pseudonym there (`storedAs`), so an address asked
 * for is found under its `[EMAIL:…]` form.
 *
 * Order matters for readers during the erasure: the affected hours are
 * marked touched first, so every reader takes them from raw spans (exact at
 * every step); then rows are deleted; then the rollups of those hours and
 * days are dropped and rebuilt from what is left.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import { createLogger, tableName, type SpanlensConfig } from '@spanlens/core';
import { refreshDailyRollup } from '../rollup/daily-rollup';
import { dateTime64Param, dateTimeParam } from '../rollup/hour-states';
import { refreshRollup } from '../rollup/refresh-rollup';
import { DIGEST_LOOKBACK_DAYS, digestJob } from '../digest/digest-job';
import { driftJob } from '../drift/drift-job';
import { satisfactionJob } from '../satisfaction/satisfaction-job';

export interface ErasureReport {
  request_id: string;
  requested_at: string;
  completed_at: string;
  spans_deleted: number;
  feedback_deleted: number;
  alert_rows_deleted: number;
  hours_rebuilt: number;
  days_rebuilt: number;
  /** Satisfaction windows, drift runs and digests that counted the user, deleted (the current ones are computed again). */
  aggregate_rows_deleted: number;
}

export interface EraseUserOptions {
  userId: string;
  /** Who asked: an API key id, or `local-cli`. Never the user. */
  requestedBy: string;
  config: SpanlensConfig;
  /** The id as the collector stores it (its pseudonym when the id holds personal data); erased too. */
  storedAs?: (userId: string) => string;
  now?: () => Date;
}

/** Mutations wait until every part is rewritten, so the rows are gone when the call returns. */
const SYNC = { mutations_sync: '2' } as const;

export async function eraseUser(client: ClickHouseClient, database: string, options: EraseUserOptions): Promise<ErasureReport> {
  const now = options.now ?? (() => new Date());
  const requestedAt = now();
  const user = { users: [...new Set([options.userId, options.storedAs?.(options.userId) ?? options.userId])] };
  const t = (name: Parameters<typeof tableName>[1]) => tableName(database, name);
  const ofUser = 'has({users:Array(String)}, user_id)';

  const hours = (await rows<{ hour: number }>(client, `SELECT DISTINCT toUnixTimestamp(toStartOfHour(start_time)) AS hour FROM ${t('llm_spans')} WHERE ${ofUser} ORDER BY hour`, user)).map((row) => Number(row.hour));
  const [spans] = await rows<{ n: string }>(client, `SELECT count() AS n FROM ${t('llm_spans')} WHERE ${ofUser}`, user);
  const feedbackWhere = `${ofUser} OR trace_id IN (SELECT trace_id FROM ${t('llm_spans')} WHERE ${ofUser})`;
  const [feedback] = await rows<{ n: string }>(client, `SELECT count() AS n FROM ${t('feedback')} WHERE ${feedbackWhere}`, user);
  // When they were active (calls or votes), in epoch seconds: the aggregates whose window reached that time counted them.
  const [active] = await rows<{ first: number | null; last: number | null }>(
    client,
    `SELECT min(t) AS first, max(t) AS last FROM (
       SELECT toUnixTimestamp(start_time) AS t FROM ${t('llm_spans')} WHERE ${ofUser}
       UNION ALL SELECT toUnixTimestamp(created_at) AS t FROM ${t('feedback')} WHERE ${feedbackWhere}
     ) SETTINGS aggregate_functions_null_for_empty = 1`,
    user,
  );
  const fingerprints = (await rows<{ fingerprint: string }>(client, `SELECT DISTINCT fingerprint FROM ${t('alert_instances')} WHERE has({users:Array(String)}, labels['user'])`, user)).map((row) => row.fingerprint);
  const [alertRows] = await rows<{ n: string }>(
    client,
    `SELECT (SELECT count() FROM ${t('alert_instances')} WHERE has({fps:Array(String)}, fingerprint)) + (SELECT count() FROM ${t('alert_notifications')} WHERE has({fps:Array(String)}, fingerprint)) AS n`,
    { fps: fingerprints },
  );

  if (hours.length > 0) {
    await client.insert({ table: t('span_hours_touched'), values: hours.map((hour) => ({ hour: dateTimeParam(hour) })), format: 'JSONEachRow' });
  }
  // Feedback first: its condition reads the user's spans.
  await mutate(client, `ALTER TABLE ${t('feedback')} DELETE WHERE ${feedbackWhere}`, user);
  await mutate(client, `ALTER TABLE ${t('llm_spans')} DELETE WHERE ${ofUser}`, user);
  if (fingerprints.length > 0) {
    await mutate(client, `ALTER TABLE ${t('alert_instances')} DELETE WHERE has({fps:Array(String)}, fingerprint)`, { fps: fingerprints });
    await mutate(client, `ALTER TABLE ${t('alert_notifications')} DELETE WHERE has({fps:Array(String)}, fingerprint)`, { fps: fingerprints });
  }

  const days = [...new Set(hours.map((hour) => hour - (hour % 86_400)))];
  if (hours.length > 0) {
    // Every version of those hours and days goes, not only the current one:
    // older versions held the user's figures too.
    const hourParams = { hours: hours.map(dateTimeParam) };
    await mutate(client, `ALTER TABLE ${t('llm_spans_hourly')} DELETE WHERE has({hours:Array(DateTime('UTC'))}, hour)`, hourParams);
    const dayParams = { days: days.map((day) => new Date(day * 1000).toISOString().slice(0, 10)) };
    await mutate(client, `ALTER TABLE ${t('daily_snapshots')} DELETE WHERE has({days:Array(Date)}, day)`, dayParams);
    await mutate(client, `ALTER TABLE ${t('llm_spans_daily')} DELETE WHERE has({days:Array(Date)}, day)`, dayParams);
    await refreshRollup(client, database, { now: now() });
    await refreshDailyRollup(client, database, { now: now(), maxDays: days.length + 31 });
  }

  let aggregateRows = 0;
  if (active?.first != null && active.last != null) {
    const range = { first: dateTimeParam(Number(active.first)), last: dateTimeParam(Number(active.last)) };
    const satisfactionWhere = `window_end > {first:DateTime('UTC')} AND window_start <= {last:DateTime('UTC')}`;
    const driftWhere = `current_end > {first:DateTime('UTC')} AND reference_start <= {last:DateTime('UTC')}`;
    const digestWhere = `day >= toDate({first:DateTime('UTC')}) AND day <= toDate({last:DateTime('UTC')}) + ${DIGEST_LOOKBACK_DAYS}`;
    const derived = [
      [t('satisfaction'), satisfactionWhere],
      [t('drift_tests'), driftWhere],
      [t('digests'), digestWhere],
    ] as const;
    const [counted] = await rows<{ n: string }>(client, `SELECT ${derived.map(([table, where]) => `(SELECT count() FROM ${table} WHERE ${where})`).join(' + ')} AS n`, range);
    aggregateRows = Number(counted?.n ?? 0);
    for (const [table, where] of derived) await mutate(client, `ALTER TABLE ${table} DELETE WHERE ${where}`, range);
  }
  // The current satisfaction window, drift run and digest, computed again without them.
  const context = { client, database, config: options.config, logger: createLogger({ level: 'silent' }) };
  for (const job of [satisfactionJob, driftJob, digestJob]) await job.run({ ...context, window: job.window(now(), options.config) });

  const report: ErasureReport = {
    request_id: randomUUID(),
    requested_at: requestedAt.toISOString(),
    completed_at: now().toISOString(),
    spans_deleted: Number(spans?.n ?? 0),
    feedback_deleted: Number(feedback?.n ?? 0),
    alert_rows_deleted: Number(alertRows?.n ?? 0),
    hours_rebuilt: hours.length,
    days_rebuilt: days.length,
    aggregate_rows_deleted: aggregateRows,
  };
  await client.insert({
    table: t('erasure_log'),
    values: [{ ...report, requested_by: options.requestedBy, requested_at: dateTime64Param(requestedAt.getTime()), completed_at: dateTime64Param(Date.parse(report.completed_at)) }],
    format: 'JSONEachRow',
  });
  return report;
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const result = await client.query({ query, query_params: params, format: 'JSONEachRow' });
  return result.json<T>();
}

async function mutate(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<void> {
  await client.command({ query, query_params: params, clickhouse_settings: SYNC });
}

