import { describe, expect, it } from 'vitest';
import { Periodic } from './periodic';

describe('Periodic', () => {
  it('runs on schedule, reports a failed run and goes on, and stop waits for the run in flight', async () => {
    const errors: unknown[] = [];
    let runs = 0;
    let release: (() => void) | undefined;
    const periodic = new Periodic(
      async () => {
        runs += 1;
        if (runs === 2) throw new Error('source down');
        if (runs === 3) await new Promise<void>((resolve) => (release = resolve));
      },
      20,
      (error) => errors.push(error),
    );
    periodic.start();
    while (runs < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(errors).toEqual([new Error('source down')]);
    // The third run hangs until released: stop must not return before it ends.
    let stopped = false;
    const stopping = periodic.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    release!();
    await stopping;
    expect(stopped).toBe(true);
    const after = runs;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs).toBe(after);
  });

  it('run() reports a failure to onError rather than throwing', async () => {
    const errors: unknown[] = [];
    await new Periodic(async () => Promise.reject(new Error('x')), 1000, (error) => errors.push(error)).run();
    expect(errors).toHaveLength(1);
  });
});
