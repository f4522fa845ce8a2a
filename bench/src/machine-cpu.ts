import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Busy and total jiffies of the whole machine (first line of /proc/stat). */
export interface MachineTicks {
  busy: number;
  total: number;
}

export function readMachineTicks(): MachineTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal guest guest_nice
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
    return { busy, total: busy + idle! + iowait! };
  } catch {
    return undefined;
  }
}

/** Cores the whole machine kept busy between two readings. */
export function busyCores(before: MachineTicks | undefined, after: MachineTicks | undefined): number | undefined {
  if (!before || !after || after.total <= before.total) return undefined;
  return ((after.busy - before.busy) / (after.total - before.total)) * availableParallelism();
}
