import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import type { Notification } from '../model';
import type { DeliveryAttempt } from '../notifiers/delivery-attempt';
import { dateTime64Text } from './clickhouse-time';

export interface NotificationClaim {
  /** See notification-key.ts: the same on every replica for the same notification. */
  key: string;
  /** This process's name among the replicas. */
  replica: string;
  fingerprint: string;
  rule: string;
  kind: Notification['kind'];
}

export interface ClaimOptions {
  /**
   * How long to wait between writing the claim and reading the claims back,
   * so that a rival's claim written at nearly the same moment is visible to
   * both readers and both pick the same winner. Default 50 ms.
   */
  settleMs?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Whether this replica is the one to send a notification. Each claimant
 * writes a claim row stamped with the server's clock, waits `settleMs`, then
 * reads back the earliest claim for the key (by time, then replica name);
 * only its author sends.
 *
 * This assumes one ClickHouse (chDB, or a single server, not a cluster with
 * asynchronous replication) whose inserts are visible to reads as soon as they
 * return, and that rival claims for a key land within `settleMs` of each
 * other, which holds when replicas evaluate on the same ticks. A claim that
 * arrives later than that loses anyway, since an earlier one is already stored.
 */
export async function claimNotification(
  client: ClickHouseClient,
  database: string,
  claim: NotificationClaim,
  options: ClaimOptions = {},
): Promise<boolean> {
  const table = tableName(database, 'alert_notifications');
  // The server stamps the claim, so claimants' clocks cannot reorder claims.
  await client.command({
    query: `INSERT INTO ${table} (notification_key, fingerprint, rule, kind, channel, replica, event, attempt, status_code, detail, at)
            SELECT {key:String}, {fingerprint:String}, {rule:String}, {kind:String}, '', {replica:String}, 'claim', 0, 0, '', now64(3, 'UTC')`,
    query_params: { key: claim.key, fingerprint: claim.fingerprint, rule: claim.rule, kind: claim.kind, replica: claim.replica },
  });
  const settleMs = options.settleMs ?? 50;
  if (settleMs > 0) await sleep(settleMs);
  const result = await client.query({
    query: `SELECT replica FROM ${table}
            WHERE notification_key = {key:String} AND event = 'claim'
            ORDER BY at, replica
            LIMIT 1`,
    query_params: { key: claim.key },
    format: 'JSONEachRow',
  });
  const [winner] = await result.json<{ replica: string }>();
  return winner?.replica === claim.replica;
}

/**
 * Records what happened to a claimed notification: one row per delivery
 * attempt ('delivered' or 'failed', with the HTTP status and error), or a
 * single 'suppressed' row for a silenced notification (pass no attempts).
 */
export async function recordDelivery(
  client: ClickHouseClient,
  database: string,
  claim: NotificationClaim,
  attempts: readonly DeliveryAttempt[],
  now: number,
): Promise<void> {
  const base = { notification_key: claim.key, fingerprint: claim.fingerprint, rule: claim.rule, kind: claim.kind, replica: claim.replica };
  const rows =
    attempts.length === 0
      ? [{ ...base, channel: '', event: 'suppressed', attempt: 0, status_code: 0, detail: '', at: dateTime64Text(now) }]
      : attempts.map((attempt) => ({
          ...base,
          channel: attempt.channel,
          event: attempt.ok ? 'delivered' : 'failed',
          attempt: attempt.attempt,
          status_code: attempt.status ?? 0,
          detail: attempt.error ?? '',
          at: dateTime64Text(attempt.at),
        }));
  await client.insert({ table: tableName(database, 'alert_notifications'), values: rows, format: 'JSONEachRow' });
}
