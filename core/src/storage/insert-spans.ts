import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LlmSpan } from '../model/span';
import { embeddedDataDir } from './open-clickhouse';
import { spanNativeBlock, spanNativeStructure } from './span-block';
import { hourOfNs, spanColumns, spanRow } from './span-row';
import { tableName } from './tables';
import { wellFormedJson } from './well-formed';

/**
 * Stores a batch of spans in one insert, then marks the hours it touched so
 * the rollup recomputes them and readers stop trusting their old snapshot.
 * The marks are written strictly after the spans: a mark a reader can see
 * always belongs to spans it can see. If this throws, the caller retries the
 * whole batch; spans stored twice are counted once.
 *
 * How the rows travel depends on the store:
 * - Embedded chDB reads them from a file of ClickHouse's Native format (one
 *   column after another) in its data directory, written just before and
 *   removed just after. Measured with the ingest benchmark's rows, this costs
 *   18–19 µs of CPU per stored row, encoding included, where text rows inline
 *   in the statement cost 42 µs: chDB spends most of an insert parsing text
 *   row by row. chDB takes inline data only as text, hence the file.
 * - A ClickHouse server gets one `INSERT … FORMAT JSONCompactEachRow`
 *   statement with the rows inline, its documented form for data in a query.
 */
export async function insertSpans(client: ClickHouseClient, database: string, spans: readonly LlmSpan[]): Promise<void> {
  if (spans.length === 0) return;
  const hours = new Set<number>();
  for (const span of spans) hours.add(hourOfNs(span.start_time_ns));
  const markHours = `INSERT INTO ${tableName(database, 'span_hours_touched')} (hour) SETTINGS ${PARTITION_SETTING} VALUES ${[...hours].map((hour) => `(${hour})`).join(', ')}`;
  const dataDir = embeddedDataDir(client);
  if (dataDir === undefined) {
    await insertAsJson(client, database, spans);
    await client.command({ query: markHours });
  } else {
    await insertFromNativeFile(client, dataDir, database, spans, markHours);
  }
}

/**
 * ClickHouse refuses a block whose rows fall in more than 100 partitions
 * (months here). A batch holds the spans of many requests, and one client's
 * spans may be dated anywhere from 2001 to 2262, so with that limit one such
 * request failed every request batched with it, again on each retry. Such a
 * batch is rare and merely writes a part per month.
 */
const PARTITION_SETTING = 'max_partitions_per_insert_block = 0';
// Readers dedupe spans themselves, so sorting out duplicates inside the
// block at insert time is wasted work: a third of the insert's cost.
const INSERT_SETTINGS = `optimize_on_insert = 0, ${PARTITION_SETTING}`;
const columnList = spanColumns.join(', ');

/** Text rows inline in the statement: how a ClickHouse server gets them. Exported for the test that compares both ways. */
export async function insertAsJson(client: ClickHouseClient, database: string, spans: readonly LlmSpan[]): Promise<void> {
  let body = '';
  for (const span of spans) body += `${wellFormedJson(spanRow(span))}\n`;
  await client.command({
    query: `INSERT INTO ${tableName(database, 'llm_spans')} (${columnList}) SETTINGS ${INSERT_SETTINGS} FORMAT JSONCompactEachRow\n${body}`,
  });
}

/** Where insert files go inside a chDB data directory. */
export const INSERT_FILES_DIR = 'spanlens-inserts';

/**
 * The insert-file folder of each data directory this process writes to,
 * emptied when first used: chDB lets one process at a time open a data
 * directory, so files found there were left by a process that died
 * mid-insert, and those inserts were never acknowledged.
 */
const insertFolders = new Map<string, string>();
let nextFile = 0;

function insertFolder(dataDir: string): string {
  let folder = insertFolders.get(dataDir);
  if (folder === undefined) {
    folder = join(dataDir, INSERT_FILES_DIR);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true });
    insertFolders.set(dataDir, folder);
  }
  return folder;
}

const structureLiteral = sqlString(spanNativeStructure);

/**
 * Both statements go in one call, which chDB runs in order and stops at the
 * first that fails, and the file is written and removed synchronously (a few
 * milliseconds for a batch): every await here is a wait for the event loop,
 * which a busy receiver keeps for tens of milliseconds at a time.
 */
async function insertFromNativeFile(client: ClickHouseClient, dataDir: string, database: string, spans: readonly LlmSpan[], markHours: string): Promise<void> {
  const file = join(insertFolder(dataDir), `${process.pid}-${nextFile++}.native`);
  try {
    writeFileSync(file, spanNativeBlock(spans));
    await client.command({
      query: `INSERT INTO ${tableName(database, 'llm_spans')} (${columnList})
        SELECT * FROM file(${sqlString(file)}, Native, ${structureLiteral}) SETTINGS ${INSERT_SETTINGS};
        ${markHours}`,
    });
  } finally {
    rmSync(file, { force: true });
  }
}

function sqlString(text: string): string {
  return `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
