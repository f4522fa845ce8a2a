import { Periodic, priceOverridesRevision, type PriceOverride, type Pricer } from '@spanlens/core';

/** Where a process reads the API's price overrides: its store, the ClickHouse server, or the owner of the embedded store. */
export interface PriceOverrideSource {
  /** A cheap token that changes whenever the overrides do; without it, every poll reads the whole list. */
  revision?: () => Promise<string>;
  read: () => Promise<PriceOverride[]>;
}

export interface PriceOverrideWatcherOptions {
  pricer: Pricer;
  source: PriceOverrideSource;
  /** How often the source is polled, so a price set through another process applies here within this long. */
  pollIntervalMs?: number;
  /** Called when a poll fails; the overrides last read stay in force. */
  onPollError?: (error: unknown) => void;
}

/**
 * Keeps a process's pricer in step with the price overrides set through the
 * API. The source is polled every 2 s; the pricer is handed a new list (and
 * so resolves models again) only when the list's revision changed, so the
 * hot path keeps its cache between changes. The process that stores a
 * change calls `refresh` before it answers, so there the new price applies
 * to the next span at once.
 */
export class PriceOverrideWatcher {
  private list: readonly PriceOverride[] = [];
  private listRevision = priceOverridesRevision([]);
  private readonly polling: Periodic;
  /** Counts reads started: a read that a later one overtook is not applied (it may predate a write). */
  private reads = 0;

  constructor(private readonly options: PriceOverrideWatcherOptions) {
    this.polling = new Periodic(
      async () => {
        const { revision } = options.source;
        if (revision && (await revision()) === this.listRevision) return;
        await this.refresh();
      },
      options.pollIntervalMs ?? 2_000,
      options.onPollError,
    );
  }

  /** Reads the overrides once (failing loudly: a source that cannot be read is a setup error), then keeps them fresh. */
  async start(): Promise<void> {
    this.apply(await this.options.source.read());
    this.polling.start();
  }

  /** Stops polling and waits for a poll in flight: the process closes its store right after. */
  async stop(): Promise<void> {
    await this.polling.stop();
  }

  /** The overrides in force in this process. */
  get overrides(): readonly PriceOverride[] {
    return this.list;
  }

  /** Changes whenever the overrides in force here change. */
  get revision(): string {
    return this.listRevision;
  }

  /** Reads the source now, e.g. right after this process stored a change; a failure is thrown. */
  async refresh(): Promise<void> {
    const read = ++this.reads;
    const list = await this.options.source.read();
    if (read === this.reads) this.apply(list);
  }

  /** Polls once: the revision first when the source has a cheap one; a failure leaves the last overrides in force. */
  async poll(): Promise<void> {
    await this.polling.run();
  }

  private apply(list: readonly PriceOverride[]): void {
    const revision = priceOverridesRevision(list);
    if (revision === this.listRevision) return;
    this.list = list;
    this.listRevision = revision;
    this.options.pricer.setOverrides(list);
  }
}
