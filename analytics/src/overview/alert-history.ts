import type { ClickHouseClient } from '@clickhouse/client';
import { tableName } from '@spanlens/core';
import { dateTime64Param } from '../rollup/hour-states';
import { isoOfClickHouse } from '../time/clickhouse-time';

export interface AlertNotificationEntry {
  /** When the notification was decided (its first claim). */
  at: string;
  rule: string;
  fingerprint: string;
  /** The instance's labels as last stored; {} when the instance is gone. */
  labels: Record<string, string>;
  kind: 'firing' | 'resolved';
  /** Channels that took it. */
  delivered: string[];
  /** Channels with a failed attempt (a later retry may have delivered). */
  failed: string[];
  /** A silence muted it. */
  suppressed: boolean;
}

export interface AlertHistory {
  from: string;
  to: string;
  notifications: AlertNotificationEntry[];
}

/** The newest this many; an on-call engineer reads a page, not an archive. */
const maxEntries = 500;

/**
 * What the alert engine notified over [from, to), newest first: every firing
 * and resolve with its channels' outcome, read from the engine's own record
 * of claims and delivery attempts (alert_notifications). The alerts API
 * shows the current instances; this is their history.
 */
export async function readAlertHistory(client: ClickHouseClient, database: string, range: { from: Date; to: Date }): Promise<AlertHistory> {
  const notifications = tableName(database, 'alert_notifications');
  const instances = tableName(database, 'alert_instances');
  // Aliases are prefixed: ClickHouse would let an alias named like a column shadow it in WHERE.
  const result = await client.query({
    query: `SELECT h_key, h_rule, h_fingerprint, h_kind, h_at, h_delivered, h_failed, h_suppressed, i_labels
            FROM (
              SELECT notification_key AS h_key, any(rule) AS h_rule, any(fingerprint) AS h_fingerprint, any(kind) AS h_kind,
                     min(at) AS h_at, groupUniqArrayIf(channel, event = 'delivered') AS h_delivered,
                     groupUniqArrayIf(channel, event = 'failed') AS h_failed, countIf(event = 'suppressed') > 0 AS h_suppressed
              FROM ${notifications}
              WHERE at >= {from:DateTime64(3, 'UTC')} AND at < {to:DateTime64(3, 'UTC')}
              GROUP BY h_key
              ORDER BY h_at DESC
              LIMIT {max:UInt32}
            ) AS history
            LEFT JOIN (
              SELECT fingerprint AS i_fingerprint, argMax(labels, version) AS i_labels FROM ${instances} GROUP BY i_fingerprint
            ) AS latest ON latest.i_fingerprint = history.h_fingerprint
            ORDER BY h_at DESC, h_key`,
    query_params: { from: dateTime64Param(range.from.getTime()), to: dateTime64Param(range.to.getTime()), max: maxEntries },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ h_rule: string; h_fingerprint: string; h_kind: string; h_at: string; h_delivered: string[]; h_failed: string[]; h_suppressed: number | boolean; i_labels: Record<string, string> | null }>();
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    notifications: rows.map((row) => ({
      at: isoOfClickHouse(row.h_at),
      rule: row.h_rule,
      fingerprint: row.h_fingerprint,
      labels: row.i_labels ?? {},
      kind: row.h_kind === 'resolved' ? 'resolved' : 'firing',
      delivered: [...row.h_delivered].sort(),
      failed: [...row.h_failed].sort(),
      suppressed: Boolean(Number(row.h_suppressed)),
    })),
  };
}
