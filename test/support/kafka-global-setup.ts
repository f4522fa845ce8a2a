// vitest globalSetup: one real Kafka broker shared by every test file, handed
// to tests as inject('kafkaBrokers') (see testKafkaBrokers()).
//
// CI starts its own broker (scripts/kafka.sh, see .ci/run) and names it in
// SPANLENS_TEST_KAFKA_BROKERS ("host:port[,host:port...]"); otherwise a broker
// is started here in a temp dir and stopped when the run ends.
import { rm } from 'node:fs/promises';
import type { TestProject } from 'vitest/node';
import { startKafkaBroker } from './kafka-broker';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
  }
}

export default async function setup({ provide }: TestProject): Promise<() => Promise<void>> {
  const fromEnv = process.env.SPANLENS_TEST_KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);
  if (fromEnv && fromEnv.length > 0) {
    provide('kafkaBrokers', fromEnv);
    return async () => {};
  }

  const broker = await startKafkaBroker();
  provide('kafkaBrokers', broker.brokers);
  return async () => {
    await broker.stop();
    await rm(broker.stateDir, { recursive: true, force: true });
  };
}
