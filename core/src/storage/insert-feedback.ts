import type { ClickHouseClient } from '@clickhouse/client';
import type { Feedback } from '../model/feedback';
import { tableName } from './tables';
import { wellFormed } from './well-formed';

/**
 * Stores feedback in one insert. A retried or redelivered item carries the
 * same feedback_id and folds into one row (ReplacingMergeTree by received_at,
 * the collector's receipt time, so a user's later vote wins); readers count
 * each feedback_id once, taking its latest version.
 */
export async function insertFeedback(client: ClickHouseClient, database: string, feedback: readonly Feedback[]): Promise<void> {
  if (feedback.length === 0) return;
  await client.insert({
    table: tableName(database, 'feedback'),
    values: feedback.map((item) => ({
      // Text from a request body may hold lone surrogates, which would fail the whole insert (see well-formed.ts).
      feedback_id: wellFormed(item.feedback_id),
      trace_id: wellFormed(item.trace_id),
      span_id: wellFormed(item.span_id),
      user_id: wellFormed(item.user_id),
      score: item.score,
      comment: wellFormed(item.comment),
      // Decimal seconds as text, the form both chDB and servers parse into DateTime64(3) exactly.
      created_at: (item.created_at_ms / 1000).toFixed(3),
      received_at: (item.received_at_ms / 1000).toFixed(3),
    })),
    format: 'JSONEachRow',
    columns: ['feedback_id', 'trace_id', 'span_id', 'user_id', 'score', 'comment', 'created_at', 'received_at'],
    // created_at is the client's (any time from 2001 to 2262) and the table is
    // partitioned by month: past 100 months in one block ClickHouse would refuse
    // the whole insert, and on the Kafka path redeliver it forever.
    clickhouse_settings: { max_partitions_per_insert_block: '0' },
  });
}
