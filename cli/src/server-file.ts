import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * chDB binds a data directory to one process. While `spanlens start` owns a
 * directory it leaves its URL in this file, so that CLI commands (`jobs`,
 * `report`) go through its API instead of opening the directory themselves.
 */
export function serverFilePath(dataDir: string): string {
  return join(resolve(dataDir), 'spanlens-server.json');
}

export function writeServerFile(dataDir: string, url: string): void {
  mkdirSync(resolve(dataDir), { recursive: true });
  writeFileSync(serverFilePath(dataDir), JSON.stringify({ url, pid: process.pid }));
}

export function removeServerFile(dataDir: string): void {
  const path = serverFilePath(dataDir);
  try {
    const owner = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
    if (owner.pid === process.pid) rmSync(path, { force: true });
  } catch {
    // Nothing to remove, or another process's file: leave it.
  }
}

/**
 * The URL of the running server that owns `dataDir`, or undefined when none
 * does (no file, its process is gone, or it does not answer).
 */
export async function runningServerUrl(dataDir: string): Promise<string | undefined> {
  const path = serverFilePath(dataDir);
  if (!existsSync(path)) return undefined;
  let owner: { url?: string; pid?: number };
  try {
    owner = JSON.parse(readFileSync(path, 'utf8')) as { url?: string; pid?: number };
  } catch {
    return undefined;
  }
  if (!owner.url || !owner.pid || !processAlive(owner.pid)) return undefined;
  try {
    const response = await fetch(`${owner.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.ok ? owner.url : undefined;
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
