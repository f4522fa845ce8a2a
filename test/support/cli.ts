import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './spanlens-process';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** `spanlens <args>` as a separate process, the way a user runs it; killed after 60 s. */
export function runSpanlensCli(args: string[], env: Record<string, string>): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/src/main.ts'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, SPANLENS_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`spanlens ${args.join(' ')} did not finish within 60 s:\n${stderr}`));
    }, 60_000);
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
