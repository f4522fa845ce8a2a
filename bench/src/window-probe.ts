import { execFileSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { busyCores, readMachineTicks, type MachineTicks } from './machine-cpu';
import { ingestDelta, scrapeIngestMetrics, type IngestMetrics } from './server-metrics';
import { readCpuTicks, readMemory } from './server-process';

/**
 * What the server and the machine did between the start and the end of the
 * measured window, plus the server's resident memory sampled every second
 * from its start.
 */
export class WindowProbe {
  private rssMax = 0;
  private readonly sampler: NodeJS.Timeout;
  private readonly ticksPerSecond = clockTicksPerSecond();
  private serverTicksAtStart: number | undefined;
  private machineAtStart: MachineTicks | undefined;
  private readonly scrapes: Promise<IngestMetrics | undefined>[] = [];
  serverCpuSeconds: number | undefined;
  machineCores: number | undefined;

  constructor(
    /** Without a url (a process that is not Spanlens), only its CPU and memory. */
    private readonly server: { pid: number; url?: string },
    /** Where the server writes V8 tick logs (--prof), to snapshot at the window's end. */
    private readonly tickLogDir: string | undefined,
  ) {
    this.sampler = setInterval(() => this.sampleRss(), 1000);
  }

  onPhase(phase: 'measure-start' | 'measure-end'): void {
    if (this.server.url) this.scrapes.push(scrapeIngestMetrics(this.server.url));
    const ticks = readCpuTicks(this.server.pid);
    if (phase === 'measure-start') {
      this.machineAtStart = readMachineTicks();
      this.serverTicksAtStart = ticks;
      return;
    }
    this.machineCores = busyCores(this.machineAtStart, readMachineTicks());
    if (ticks !== undefined && this.serverTicksAtStart !== undefined) this.serverCpuSeconds = (ticks - this.serverTicksAtStart) / this.ticksPerSecond;
    // The tick log grows until the server dies; a copy taken now covers only warm-up and load.
    if (this.tickLogDir) {
      for (const name of readdirSync(this.tickLogDir)) {
        if (/^isolate-.*\.log$/.test(name)) copyFileSync(join(this.tickLogDir, name), join(this.tickLogDir, `load-window-${name}`));
      }
    }
  }

  /** Stops sampling; returns peak memory (VmHWM read now, max VmRSS sampled) and the server's ingest metrics over the window. */
  async finish(windowSeconds: number) {
    clearInterval(this.sampler);
    const memory = this.sampleRss();
    const [before, after] = await Promise.all(this.scrapes);
    return { vmHwm: memory?.hwm ?? 0, rssMaxSampled: this.rssMax, ingest: ingestDelta(before, after, windowSeconds) };
  }

  private sampleRss() {
    const memory = readMemory(this.server.pid);
    if (memory) this.rssMax = Math.max(this.rssMax, memory.rss);
    return memory;
  }
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}
