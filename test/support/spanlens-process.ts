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

const INTERRUPT_TIMEOUT_MS = 60_000;

/** The last lines of a process's log, for a failure message. */
export function logTail(log: string, lines = 40): string {
  return log.trimEnd().split('\n').slice(-lines).join('\n');
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
            // A shutdown that hangs must fail the test with what the process was doing, not time it out.
            let timer: NodeJS.Timeout | undefined;
            const hung = new Promise<never>((_resolve, rejectHung) => {
              timer = setTimeout(() => rejectHung(new Error(`spanlens (pid ${child.pid}) did not exit within ${INTERRUPT_TIMEOUT_MS / 1000} s of SIGINT; its log ends:\n${logTail(stderr)}`)), INTERRUPT_TIMEOUT_MS);
            });
            return Promise.race([exited, hung]).finally(() => clearTimeout(timer));
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
 * process is killed after the test, whatever the test's outcome. When the
 * test failed, each process's last log lines are printed first, so a failure
 * in CI says what the processes were doing.
 */
export function killedAfterEach(): (started: Promise<SpanlensProcess>) => Promise<SpanlensProcess> {
  const running: SpanlensProcess[] = [];
  afterEach(async (context) => {
    const processes = running.splice(0);
    if (context.task.result?.state === 'fail') {
      for (const process of processes) console.error(`--- log of spanlens at ${process.url} (pid ${process.child.pid}):\n${logTail(process.log())}`);
    }
    await Promise.all(processes.map((process) => process.kill9().catch(() => undefined)));
  });
  return async (started) => {
    const process = await started;
    running.push(process);
    return process;
  };
}
