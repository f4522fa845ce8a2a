import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** The last lines the server wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** Log lines at warn level or above seen so far, with a few samples. */
  warnings(): { count: number; samples: string[] };
  /** SIGINT, then SIGKILL if it has not exited after `graceMs`. */
  stop(graceMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; seconds: number; killed: boolean }>;
}

export interface StartServerOptions {
  repoRoot: string;
  dataDir: string;
  startTimeoutMs: number;
  /** When set, the server runs with --cpu-prof and writes its profile here on a clean exit. */
  cpuProfileDir?: string;
  /**
   * When set, the server runs with V8's --prof, whose tick log is written as it
   * goes and so survives a SIGKILL. V8 writes it to the working directory, so
   * the server then runs in this directory (with absolute paths) instead of the
   * repository root.
   */
  v8ProfileDir?: string;
  /** SPANLENS_* settings on top of the defaults (roles, Kafka brokers, topics). */
  env?: Record<string, string>;
  onChild(child: ChildProcess): void;
}

const LISTENING = /Spanlens is listening on (http:\/\/127\.0\.0\.1:\d+)/;

/**
 * Starts `spanlens start` as its own process on the embedded default (or with
 * the settings of `options.env`), with a fresh data directory and no other
 * SPANLENS_* settings inherited, and waits for the line that says where it
 * listens.
 */
export function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('SPANLENS_')) env[key] = value;
  Object.assign(env, { SPANLENS_PORT: '0', SPANLENS_DATA_DIR: options.dataDir, SPANLENS_LOG_LEVEL: 'warn' }, options.env);
  const profile = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const entry = options.v8ProfileDir
    ? ['--prof', '--import', import.meta.resolve('tsx'), join(options.repoRoot, 'cli/src/main.ts')]
    : ['--import', 'tsx', 'cli/src/main.ts'];
  const child = spawn(process.execPath, [...profile, ...entry, 'start'], {
    cwd: options.v8ProfileDir ?? options.repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  options.onChild(child);

  const lines: string[] = [];
  const warnings = { count: 0, samples: [] as string[] };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });

  return new Promise((resolve, reject) => {
    let url: string | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not say it was listening within ${options.startTimeoutMs / 1000} s. Its last output:\n${lines.join('\n')}`));
    }, options.startTimeoutMs);
    const onText = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        lines.push(line);
        if (lines.length > 60) lines.shift();
        if (/"level":(40|50|60)/.test(line) || /\b(WARN|ERROR|FATAL)\b/.test(line)) {
          warnings.count += 1;
          if (warnings.samples.length < 5) warnings.samples.push(line.slice(0, 400));
        }
        const match = url ? undefined : LISTENING.exec(line);
        if (match?.[1]) {
          url = match[1];
          clearTimeout(timer);
          resolve({
            child,
            pid: child.pid!,
            url,
            tail: () => lines.join('\n'),
            warnings: () => warnings,
            stop: async (graceMs) => {
              const started = performance.now();
              if (child.exitCode !== null || child.signalCode !== null) {
                const done = await exited;
                return { ...done, seconds: 0, killed: false };
              }
              child.kill('SIGINT');
              let killed = false;
              const force = setTimeout(() => {
                killed = true;
                child.kill('SIGKILL');
              }, graceMs);
              const done = await exited;
              clearTimeout(force);
              return { ...done, seconds: (performance.now() - started) / 1000, killed };
            },
          });
        }
      }
    };
    child.stdout!.on('data', onText);
    child.stderr!.on('data', onText);
    void exited.then(({ code, signal }) => {
      if (url) return;
      clearTimeout(timer);
      reject(new Error(`the server exited (code ${code}, signal ${signal}) before listening. Its last output:\n${lines.join('\n')}`));
    });
  });
}

/** VmRSS and VmHWM (peak resident set) of a process, in bytes; undefined once it is gone. */
export function readMemory(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a process, in clock ticks (utime and stime of /proc/<pid>/stat). */
export function readCpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}
