import { tableName } from './tables';

/**
 * Captured prompt and completion text (off unless mapping.capture_content).
 * Columns of llm_spans, so a span and its content are stored, deduplicated
 * and erased together; a column TTL empties them 30 days after the call
 * while the span's figures stay.
 */
export function contentColumns(database: string): string[] {
  const spans = tableName(database, 'llm_spans');
  return [
    `ALTER TABLE ${spans} ADD COLUMN IF NOT EXISTS prompt_text String CODEC(ZSTD(3)) TTL toDateTime(start_time) + INTERVAL 30 DAY`,
    `ALTER TABLE ${spans} ADD COLUMN IF NOT EXISTS completion_text String CODEC(ZSTD(3)) TTL toDateTime(start_time) + INTERVAL 30 DAY`,
  ];
}
