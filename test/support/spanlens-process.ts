import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function tempDataDir(prefix = 'spanlens-test-'): string {
  return join(mkdtempSync(join(tmpdir(), prefix)), 'data');
}

export interface SpanlensProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr (its JSON log). */
  log(): string;
  /** Ctrl-C: a clean shutdown. Resolves with the exit code. */
  interrupt(): Promise<number | null>;
  /** kill -9: no chance to flush anything. */
  kill9(): Promise<void>;
}

/** Runs `spanlens start` as a separate process, the way a user does. */
export function startSpanlensProcess(options: { dataDir: string; env?: Record<string, string> }): Promise<SpanlensProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/src/main.ts'), 'start'], {
    cwd: repoRoot,
    env: { ...process.env, SPANLENS_PORT: '0', SPANLENS_DATA_DIR: options.dataDir, SPANLENS_LOG_LEVEL: 'info', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  return new Promise((resolveStart, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`spanlens did not start within 60 s:\n${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (match?.[1]) {
        clearTimeout(timer);
        resolveStart({
          url: match[1],
          child,
          log: () => stderr,
          interrupt: async () => {
            child.kill('SIGINT');
            return exited;
          },
          kill9: async () => {
            child.kill('SIGKILL');
            await exited;
          },
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`spanlens exited with ${code} before listening:\n${stderr}`));
    });
  });
}

/**
 * For a test file that starts several processes: wraps a start so that the
 * process is killed after the test, whatever the test's outcome.
 */
export function killedAfterEach(): (started: Promise<SpanlensProcess>) => Promise<SpanlensProcess> {
  const running: SpanlensProcess[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((process) => process.kill9().catch(() => undefined)));
  });
  return async (started) => {
    const process = await started;
    running.push(process);
    return process;
  };
}
