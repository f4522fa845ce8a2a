/**
 * A private Apache Kafka broker for `pnpm bench:kafka`, run by
 * scripts/kafka.sh (single-node KRaft, jars fetched with Maven and cached) on
 * two free loopback ports with its state in a temp dir. The broker is a
 * detached java process: it must be stopped through the script, which
 * `stopSync` can do from a process 'exit' handler.
 */
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface BenchBroker {
  /** host:port for SPANLENS_KAFKA_BROKERS. */
  bootstrap: string;
  stateDir: string;
  /** Starts the broker and waits until it is ready; returns the script's "kafka ready ..." line. */
  start(): Promise<string>;
  /** The java process, from the pid file the script writes; undefined once stopped. */
  pid(): number | undefined;
  /** SIGTERM through the script (SIGKILL after its KAFKA_STOP_TIMEOUT). */
  stop(): Promise<void>;
  /** The same, blocking: for exit handlers. Does nothing once stopped. */
  stopSync(): void;
}

export interface StartBrokerOptions {
  repoRoot: string;
  /** An empty directory for config, data, log and pid; removing it is the caller's. */
  stateDir: string;
  /** Start (and a first-time jar fetch) must be done within this. */
  timeoutMs: number;
  onChild(child: ChildProcess): void;
}

const STOP_TIMEOUT_S = 20;

/**
 * Picks the ports and returns the broker, not yet started: register its
 * stopSync for the exit path first, so a bench killed during start-up does
 * not leave a broker behind.
 */
export async function createBroker(options: StartBrokerOptions): Promise<BenchBroker> {
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  const script = join(options.repoRoot, 'scripts', 'kafka.sh');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_STATE_DIR: options.stateDir,
    KAFKA_STOP_TIMEOUT: String(STOP_TIMEOUT_S),
  };
  let stopped = false;
  const pidFile = join(options.stateDir, 'broker.pid');
  const broker: BenchBroker = {
    bootstrap: `127.0.0.1:${port}`,
    stateDir: options.stateDir,
    start: () => runScript(script, 'start', env, options, options.timeoutMs),
    pid: () => {
      if (stopped) return undefined;
      try {
        return Number(readFileSync(pidFile, 'utf8').trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    stop: async () => {
      if (stopped) return;
      await runScript(script, 'stop', env, options, (STOP_TIMEOUT_S + 15) * 1000);
      stopped = true;
    },
    stopSync: () => {
      if (stopped) return;
      const result = spawnSync('bash', [script, 'stop'], { cwd: options.repoRoot, env, stdio: ['ignore', 'ignore', 'inherit'], timeout: (STOP_TIMEOUT_S + 15) * 1000 });
      stopped = result.status === 0;
    },
  };
  return broker;
}

function runScript(script: string, command: 'start' | 'stop', env: NodeJS.ProcessEnv, options: StartBrokerOptions, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('bash', [script, command], { cwd: options.repoRoot, env, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`scripts/kafka.sh ${command} (KAFKA_PORT=${env.KAFKA_PORT}) failed: ${error.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
    options.onChild(child);
  });
}

/** A loopback port nobody listens on right now (the kernel's pick for port 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
