import type { ClickHouseClient } from '@clickhouse/client';
import type { Logger } from '@spanlens/core';
import { refreshRollup } from '../rollup/refresh-rollup';

export interface RollupSchedulerOptions {
  client: ClickHouseClient;
  database: string;
  intervalMs: number;
  logger: Logger;
}

/**
 * Keeps the hourly rollup fresh. Runs never overlap: the next run is scheduled
 * only after the previous one ended, and a failed run is logged and retried on
 * the next tick. Readers stay exact while the rollup lags, because stale hours
 * are read from the raw spans.
 */
export class RollupScheduler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: RollupSchedulerOptions) {}

  start(): void {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.runOnce().finally(() => {
        this.running = undefined;
        this.schedule(this.options.intervalMs);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async runOnce(): Promise<void> {
    const started = performance.now();
    try {
      const { hoursRefreshed } = await refreshRollup(this.options.client, this.options.database);
      if (hoursRefreshed > 0) {
        this.options.logger.debug({ hoursRefreshed, ms: Math.round(performance.now() - started) }, 'rollup refreshed');
      }
    } catch (error) {
      this.options.logger.error({ err: error }, 'rollup refresh failed; it will be retried');
    }
  }
}
