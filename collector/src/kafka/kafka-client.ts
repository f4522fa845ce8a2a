import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { KafkaConfig, Logger } from '@spanlens/core';
import { useGzipCodec } from './gzip-codec';

/** One kafkajs client per process, logging through the process's logger. */
export function createKafkaClient(config: KafkaConfig, logger: Logger, role: string): Kafka {
  const log = logger.child({ component: 'kafka' });
  useGzipCodec();
  return new Kafka({
    clientId: `${config.client_id}-${role}`,
    brokers: config.brokers,
    // Fail a connection attempt quickly so an outage turns into 503s, not hung requests.
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    logLevel: logLevel.WARN,
    logCreator: () => (entry: LogEntry) => {
      const { message, ...rest } = entry.log;
      const fields = { namespace: entry.namespace, ...rest };
      // kafkajs logs every error response of a connection at ERROR, the
      // retriable ones (a coordinator still loading, a leader moving) too;
      // it retries them itself, and what finally fails reaches our own logs.
      if (entry.level <= logLevel.ERROR && entry.namespace !== 'Connection') log.error(fields, message);
      else if (entry.level <= logLevel.WARN) log.warn(fields, message);
      else log.debug(fields, message);
    },
  });
}
