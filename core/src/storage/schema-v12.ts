import type { MigrationStatement } from './migrate';
import { tableName } from './tables';

/**
 * Less background merging per stored span. Merges rewrite every span several
 * times as small parts become bigger ones, and measured on chDB (400,000 of
 * the ingest benchmark's spans in inserts of 2,500) they took more CPU than
 * the inserts themselves: 20 µs per span, against 12.6 with this migration.
 *
 * - Plain ZSTD(1) on the columns the first schema gave Delta, T64 or ZSTD(3):
 *   each merge decompresses and compresses again, and those codecs saved only
 *   5% of the bytes (71 against 75 per span). Delta cannot help these
 *   timestamps anyway, as rows are sorted by hour and trace id, not by time.
 *   Captured prompt and completion text keep ZSTD(3): they are long, and empty
 *   unless capture is on. A codec change applies to parts written from now on
 *   and to merged ones; it touches metadata only, so it runs in milliseconds.
 * - `merge_selector_base` 10 instead of 5: parts are merged once more of them
 *   have gathered, so a span is rewritten fewer times, while a partition holds
 *   somewhat more parts at a time (15 rather than 8–12 in that measurement).
 *   ClickHouse servers older than this setting skip it.
 */
export function spanMergeCost(database: string): MigrationStatement[] {
  const spans = tableName(database, 'llm_spans');
  const columns = [
    'start_time', 'end_time', 'received_at',
    'input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens',
    'code_line_number', 'attributes', 'resource_attributes',
  ];
  return [
    `ALTER TABLE ${spans} ${columns.map((column) => `MODIFY COLUMN ${column} CODEC(ZSTD(1))`).join(', ')}`,
    { query: `ALTER TABLE ${spans} MODIFY SETTING merge_selector_base = 10`, onlyWithMergeTreeSetting: 'merge_selector_base' },
  ];
}
