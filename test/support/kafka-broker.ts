// Real Apache Kafka brokers for integration tests, run by scripts/kafka.sh
// (a single-node KRaft broker on 127.0.0.1, jars fetched with Maven).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kafka } from 'kafkajs';
import { inject } from 'vitest';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const kafkaScript = join(repoRoot, 'scripts', 'kafka.sh');

/** The script itself waits up to 90 s for readiness (plus a first-time fetch). */
const SCRIPT_TIMEOUT_MS = 240_000;

export interface KafkaBroker {
  /** Bootstrap servers for a kafkajs client, e.g. `['127.0.0.1:40123']`. */
  brokers: string[];
  port: number;
  /** Config, data, log and pid of this broker; survives stop()/start(). */
  stateDir: string;
  /** Starts the broker again on the same ports and data after stop(). */
  start(): Promise<void>;
  /** Stops the broker cleanly (its data stays for a later start()). */
  stop(): Promise<void>;
}

/**
 * Starts a private broker in a fresh temp state dir. Without `port`, two free
 * ports (client and controller) are picked. With `advertisedPort`, clients
 * are sent there (a proxy in front of the broker) after bootstrapping.
 */
export async function startKafkaBroker(options: { port?: number; controllerPort?: number; advertisedPort?: number } = {}): Promise<KafkaBroker> {
  let port: number;
  let controllerPort: number;
  if (options.port === undefined) {
    [port, controllerPort] = await freePorts(2) as [number, number];
  } else {
    port = options.port;
    controllerPort = options.controllerPort ?? port + 1;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'spanlens-kafka-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_STATE_DIR: stateDir,
    ...(options.advertisedPort === undefined ? {} : { KAFKA_ADVERTISED_PORT: String(options.advertisedPort) }),
  };
  const broker: KafkaBroker = {
    brokers: [`127.0.0.1:${options.advertisedPort ?? port}`],
    port,
    stateDir,
    start: async () => {
      await runKafkaScript('start', env);
    },
    stop: async () => {
      await runKafkaScript('stop', env);
    },
  };
  await broker.start();
  return broker;
}

/**
 * The broker shared by all test files: started by test/support/kafka-global-setup.ts
 * (or by CI, through SPANLENS_TEST_KAFKA_BROKERS).
 */
export function testKafkaBrokers(): string[] {
  const brokers = inject('kafkaBrokers');
  if (!brokers || brokers.length === 0) {
    throw new Error('no shared Kafka broker: is test/support/kafka-global-setup.ts in vitest globalSetup?');
  }
  return brokers;
}

/** Creates a topic (replication 1) and waits until its partitions have leaders. */
export async function createTopic(kafka: Kafka, topic: string, numPartitions: number): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
}

/** A per-test topic (and group) name prefix, e.g. `test-orders-3fa94c1b`. */
export function uniqueTopicPrefix(name: string): string {
  const safe = name.replace(/[^a-zA-Z0-9._-]+/g, '-');
  return `test-${safe}-${randomBytes(4).toString('hex')}`;
}

function runKafkaScript(command: 'start' | 'stop', env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(
      'bash',
      [kafkaScript, command],
      { cwd: repoRoot, env, timeout: SCRIPT_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new Error(
              `scripts/kafka.sh ${command} failed (KAFKA_PORT=${env.KAFKA_PORT}): ${error.message}\n${stdout}${stderr}`,
            ),
          );
        } else {
          resolveRun(stdout);
        }
      },
    );
  });
}

/**
 * Below Linux's ephemeral range (32768–60999): a broker stopped and started
 * again on its ports must find them free, and a port the kernel hands out
 * for a listening port 0 or an outgoing connection (another test's client)
 * can take one in between — it did, once, in CI.
 */
const PORT_RANGE = { from: 20_000, to: 32_767 };

/** `count` distinct ports, free on 127.0.0.1 now, outside the ephemeral range (all held at once while picked). */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let attempt = 0; ports.length < count; attempt++) {
      if (attempt > 1000) throw new Error(`no ${count} free ports found between ${PORT_RANGE.from} and ${PORT_RANGE.to}`);
      const port = PORT_RANGE.from + Math.floor(Math.random() * (PORT_RANGE.to - PORT_RANGE.from + 1));
      if (ports.includes(port)) continue;
      const server = createServer();
      const bound = await new Promise<boolean>((resolveListen) => {
        server.once('error', () => resolveListen(false));
        server.listen(port, '127.0.0.1', () => resolveListen(true));
      });
      if (!bound) continue;
      servers.push(server);
      ports.push(port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((server) => new Promise<void>((done) => server.close(() => done()))));
  }
}
