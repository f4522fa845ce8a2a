/**
 * What a before-it-ships estimate is compared with. An edited prompt usually
 * carries a new version (3 → 4) while the old one runs in production, so
 * comparing only with exactly the same `id@version` would lose the comparison
 * at the moment it matters; the prompt's production version stands in.
 */
import type { AnnotationRow } from '@spanlens/core/editor-protocol';
import { mergeRows, promptIdOf, promptRows } from './live-snapshot';

export interface ProductionBaseline {
  /** The production figures compared with: their cost per call, volume and mean output. */
  row: AnnotationRow;
  /**
   * The prompt key (`id@version`) compared with when it is another version
   * than the one the source names; undefined when it is the same.
   */
  otherVersion?: string;
}

/**
 * The baseline of a prompt the source names: exactly `id@version` when that
 * version ran in the window; else the production version of the same id, the
 * one with the most calls in the window (on a tie, the highest version).
 * Without a version in the source, every version of the id together.
 */
export function promptBaseline(rows: readonly AnnotationRow[], id: string, version: string | undefined): ProductionBaseline | undefined {
  const named = mergeRows(promptRows(rows, id, version));
  if (named !== undefined && named.calls > 0) return { row: named };
  if (version === undefined || version === '') return undefined;
  const production = productionVersion(rows, id);
  return production === undefined ? undefined : { row: production, otherVersion: production.key };
}

/**
 * The baseline of an SDK call: its call site's production figures when it has
 * any (they are what this call costs now, whatever prompt version it sent),
 * else those of the prompt it names. When the call names a prompt version that
 * its call site did not send in the window, the version it did send is named.
 */
export function callBaseline(callsiteRow: AnnotationRow | undefined, prompt: { id: string; version?: string } | undefined, promptRowsOfSnapshot: readonly AnnotationRow[]): ProductionBaseline | undefined {
  if (callsiteRow !== undefined && callsiteRow.calls > 0) {
    if (prompt?.version === undefined) return { row: callsiteRow };
    const sent = callsiteRow.prompts.filter((key) => promptIdOf(key) === prompt.id);
    const otherVersion = sent.length === 1 && sent[0] !== `${prompt.id}@${prompt.version}` ? sent[0] : undefined;
    return otherVersion === undefined ? { row: callsiteRow } : { row: callsiteRow, otherVersion };
  }
  return prompt === undefined ? undefined : promptBaseline(promptRowsOfSnapshot, prompt.id, prompt.version);
}

/** The version of a prompt id with the most calls in the window; on a tie, the highest version. */
function productionVersion(rows: readonly AnnotationRow[], id: string): AnnotationRow | undefined {
  let best: AnnotationRow | undefined;
  for (const row of rows) {
    if (row.calls <= 0 || row.key === id || promptIdOf(row.key) !== id) continue;
    if (best === undefined || row.calls > best.calls || (row.calls === best.calls && compareVersions(versionOf(row.key), versionOf(best.key)) > 0)) best = row;
  }
  return best;
}

/** The version of a prompt key (`id@version` → `version`). */
export function versionOf(key: string): string {
  return key.slice(promptIdOf(key).length + 1);
}

/** Compares versions as people number them: `10` after `9`, `2024-06-10` after `2024-06-09`. */
function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
