import type { Logger } from '@spanlens/core';
import type { Job } from './job';

/** A log line a test logger kept: its level, message and fields (bindings included). */
export interface LogLine {
  level: string;
  msg: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps what it is told, so tests can assert what an operator would read. */
export function captureLogger(lines: LogLine[], bindings: Record<string, unknown> = {}): Logger {
  const at = (level: string) => (first: unknown, msg?: string) => {
    const fields = typeof first === 'object' && first !== null ? { ...bindings, ...(first as Record<string, unknown>) } : { ...bindings };
    lines.push({ level, msg: typeof first === 'string' ? first : (msg ?? ''), fields });
  };
  const logger = {
    child: (more: Record<string, unknown>) => captureLogger(lines, { ...bindings, ...more }),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    fatal: at('fatal'),
  };
  return logger as unknown as Logger;
}

/** A job for scheduler tests: every second by default, over the second before its end. */
export function testJob(name: string, run: Job['run'], defaultSchedule = '* * * * * *'): Job {
  return {
    name,
    description: `test job ${name}`,
    defaultSchedule,
    window: (end) => ({ start: new Date(end.getTime() - 1000), end }),
    run,
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `done` holds, failing with `what` after `timeoutMs`. */
export async function waitFor(what: string, done: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
