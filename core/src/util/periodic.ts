/**
 * Runs a task now and then every `intervalMs`, one run at a time, for the
 * processes that keep a table in step with its source (API keys, price
 * overrides). The timer is unref'd: it never keeps a process alive. `stop`
 * waits for a run in flight, because the process closes its store right
 * after, and a query still running on a closed chDB connection can take the
 * process down. A failed run is reported to `onError` and the next one is
 * tried on schedule; what the last good run applied stays in force.
 */
export class Periodic {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError?: (error: unknown) => void,
  ) {}

  /** Starts the schedule; the first run is the interval from now (callers do their first read themselves, failing loudly). */
  start(): void {
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** Runs the task now; a failure goes to `onError`, not to the caller. */
  async run(): Promise<void> {
    const run = this.task().catch((error: unknown) => this.onError?.(error));
    this.running = run;
    try {
      await run;
    } finally {
      if (this.running === run) this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
