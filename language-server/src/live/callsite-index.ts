import type { AnnotationRow } from '@spanlens/core/editor-protocol';
import { matchSpanPath } from '../source/span-anchor';

/**
 * Which workspace file each call-site row belongs to, worked out once per
 * snapshot and file list rather than per editor request. Only files with the
 * span's file name can share a path suffix with it, so rows are matched
 * against those candidates alone.
 */
export class CallsiteIndex {
  private readonly byFile = new Map<string, AnnotationRow[]>();

  constructor(rows: readonly AnnotationRow[], workspaceFiles: readonly string[]) {
    const byBaseName = new Map<string, string[]>();
    for (const file of workspaceFiles) {
      const name = baseName(file);
      const list = byBaseName.get(name);
      if (list) list.push(file);
      else byBaseName.set(name, [file]);
    }
    for (const row of rows) {
      if (!row.file) continue;
      const candidates = byBaseName.get(baseName(row.file));
      if (!candidates) continue;
      const file = matchSpanPath(row.file, candidates);
      if (file === undefined) continue;
      const list = this.byFile.get(file);
      if (list) list.push(row);
      else this.byFile.set(file, [row]);
    }
  }

  rowsOf(file: string): readonly AnnotationRow[] {
    return this.byFile.get(file) ?? [];
  }

  /** Every row that matched a workspace file: the workspace's own call sites. */
  matchedRows(): AnnotationRow[] {
    return [...this.byFile.values()].flat();
  }
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
