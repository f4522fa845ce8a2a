import type { ClickHouseClient } from '@clickhouse/client';
import type { LlmSpan } from '../model/span';
import { hourOfNs, spanColumns, spanRow } from './span-row';
import { tableName } from './tables';

/**
 * Stores a batch of spans in one insert, then marks the hours it touched so
 * the rollup recomputes them and readers stop trusting their old snapshot.
 * The marks are written strictly after the spans: a mark a reader can see
 * always belongs to spans it can see. If this throws, the caller retries the
 * whole batch; spans stored twice are counted once.
 */
export async function insertSpans(client: ClickHouseClient, database: string, spans: readonly LlmSpan[]): Promise<void> {
  if (spans.length === 0) return;
  const rows: unknown[][] = new Array(spans.length);
  const hours = new Set<number>();
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    rows[i] = spanRow(span);
    hours.add(hourOfNs(span.start_time_ns));
  }
  await client.insert({
    table: tableName(database, 'llm_spans'),
    values: rows,
    format: 'JSONCompactEachRow',
    columns: [...spanColumns],
    // Readers dedupe spans themselves, so sorting out duplicates inside the
    // block at insert time is wasted work: a third of the insert's cost.
    clickhouse_settings: { optimize_on_insert: 0 },
  });
  await client.insert({
    table: tableName(database, 'span_hours_touched'),
    values: [...hours].map((hour) => ({ hour })),
    format: 'JSONEachRow',
    columns: ['hour'],
  });
}
