export interface BenchOptions {
  seconds: number;
  warmupSeconds: number;
  concurrency: number;
  minSpans: number;
  maxSpans: number;
  poolBodies: number;
  rawBatch: number;
  /** A marker request every this many ms; 0 sends none (to see what polling costs the server). */
  markerIntervalMs: number;
  /** Run the server with --cpu-prof and leave the .cpuprofile here. */
  serverCpuProfileDir: string | undefined;
  /** Run the server with V8 --prof (tick log, survives a kill) in this directory. */
  serverV8ProfileDir: string | undefined;
}

export const usage = `pnpm bench:ingest [options]
  --seconds N              measured load, after the warm-up (default 60); also --duration N
  --warmup N               warm-up seconds, excluded from the figures (default 5)
  --concurrency N          OTLP requests in flight (default 16)
  --spans-per-request A-B  spans per request, drawn uniformly (default 100-1000)
  --pool N                 distinct pre-encoded requests (default 48)
  --marker-interval-ms N   queryability markers every N ms (default 2000; 0 = none)
  --server-cpu-prof DIR    profile the server (node --cpu-prof) into DIR; written on a clean exit
  --server-prof DIR        V8 tick profile of the server (node --prof) into DIR; survives a kill,
                           read it with: node --prof-process DIR/load-window-isolate-*.log`;

/** Options of one bench only: its usage text and a handler per flag. */
export interface ExtraOptions {
  usage: string;
  handlers: Record<string, (value: string, name: string) => void>;
}

export function parseArgs(argv: readonly string[], extra?: ExtraOptions): BenchOptions {
  const options: BenchOptions = {
    seconds: 60,
    warmupSeconds: 5,
    // 16: with 8 the embedded server left a sixth of the machine idle and its
    // rate was the requests in flight over their latency, not its capacity.
    concurrency: 16,
    minSpans: 100,
    maxSpans: 1000,
    poolBodies: 48,
    rawBatch: 5000,
    markerIntervalMs: 2000,
    serverCpuProfileDir: undefined,
    serverV8ProfileDir: undefined,
  };
  const help = extra?.usage ?? usage;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--') continue;
    if (flag === '--help' || flag === '-h') {
      process.stdout.write(`${help}\n`);
      process.exit(0);
    }
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value\n${help}`);
    switch (name) {
      case '--seconds':
      case '--duration':
        options.seconds = positive(name, value);
        break;
      case '--warmup':
        options.warmupSeconds = positive(name, value, true);
        break;
      case '--concurrency':
        options.concurrency = positive(name, value);
        break;
      case '--marker-interval-ms':
        options.markerIntervalMs = positive(name, value, true);
        break;
      case '--pool':
        options.poolBodies = positive(name, value);
        break;
      case '--spans-per-request': {
        const match = /^(\d+)(?:-(\d+))?$/.exec(value);
        const min = Number(match?.[1]);
        const max = Number(match?.[2] ?? match?.[1]);
        if (!match || min < 1 || max < min) throw new Error(`--spans-per-request: expected MIN-MAX such as 100-1000, got "${value}"`);
        options.minSpans = min;
        options.maxSpans = max;
        break;
      }
      case '--server-cpu-prof':
        options.serverCpuProfileDir = value;
        break;
      case '--server-prof':
        options.serverV8ProfileDir = value;
        break;
      default: {
        const handler = extra?.handlers[name];
        if (!handler) throw new Error(`unknown option ${name}\n${help}`);
        handler(value, name);
      }
    }
  }
  return options;
}

export function positive(name: string, value: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new Error(`${name}: expected a whole number${allowZero ? '' : ' above 0'}, got "${value}"`);
  return n;
}
