/**
 * A call site key (`file:line`, as spans report it) as a link that opens the
 * file at that line in VS Code. VS Code's URL handler takes the absolute
 * path after `vscode://file`; a Windows path gets the slash a URL needs
 * (`vscode://file/C:/src/app.ts:3`). Null when the key has no line.
 */
export function vscodeLink(callsite: string): string | null {
  const match = /^(.+):(\d+)$/.exec(callsite);
  if (!match) return null;
  const path = match[1]!.replace(/\\/g, '/');
  const encoded = path.split('/').map(encodeURIComponent).join('/').replace(/^([A-Za-z])%3A/, '$1:');
  return `vscode://file${encoded.startsWith('/') ? '' : '/'}${encoded}:${match[2]}`;
}

/** Whether a prompt key (`id@version` or `id`) belongs to a prompt filter (an id, or one `id@version`). */
export function promptMatches(key: string, filter: string | undefined): boolean {
  if (!filter) return true;
  return key === filter || key.startsWith(`${filter}@`);
}

/** A prompt key split into id and version ("" when the spans gave none). */
export function splitPromptKey(key: string): { id: string; version: string } {
  const at = key.lastIndexOf('@');
  return at < 0 ? { id: key, version: '' } : { id: key.slice(0, at), version: key.slice(at + 1) };
}
