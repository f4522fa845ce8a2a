import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Source files spans can point at: the languages the server reads. */
const SOURCE_FILE = /\.(?:[cm]?[jt]sx?|py)$/i;
/** Folders that hold dependencies or build output, never the code a span was recorded in. */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', 'dist', 'build', 'out', 'coverage', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.next', '.turbo', '.spanlens', 'site-packages']);

/**
 * The workspace's source files, for matching spans' `code.file.path` by path
 * suffix. Capped, so that opening a huge folder costs a bounded walk; files
 * past the cap are still matched once they are opened.
 */
export async function listWorkspaceFiles(roots: readonly string[], options: { limit?: number } = {}): Promise<string[]> {
  const limit = options.limit ?? 50_000;
  const files: string[] = [];
  const queue = [...roots];
  while (queue.length > 0 && files.length < limit) {
    const dir = queue.shift()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // A folder that vanished or cannot be read is simply not part of the list.
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.isDirectory()) {
        if (!SKIPPED.has(entry.name)) queue.push(join(dir, entry.name));
      } else if (entry.isFile() && SOURCE_FILE.test(entry.name)) {
        files.push(join(dir, entry.name));
        if (files.length >= limit) break;
      }
    }
  }
  return files;
}
