import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ClickHouseClient } from '@clickhouse/client';
import { createPricer, migrate, openClickHouse, insertSpans, type Logger, type SpanlensConfig } from '@spanlens/core';
import { createCollectorMetrics, createOtlpTracesHandler, GroupCommitBatcher } from '@spanlens/collector';
import { createApiRouter, RollupScheduler } from '@spanlens/analytics';
import { createHttpApp } from './http-app';

export interface RunningSpanlens {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:4318. */
  url: string;
  /** Stops taking requests, stores every accepted span, then releases storage. */
  close(): Promise<void>;
}

const storageRoles = new Set(['ingest', 'jobs', 'alerts', 'api']);

/**
 * The composition root: wires the packages into one process for the roles
 * the config names. Today every role runs in-process on one storage client;
 * the Kafka-connected split arrives with the distributed mode.
 */
export async function startSpanlens(config: SpanlensConfig, logger: Logger): Promise<RunningSpanlens> {
  const roles = new Set(config.roles);
  if (config.kafka.brokers.length > 0) {
    throw new Error('kafka.brokers (SPANLENS_KAFKA_BROKERS) is set, but the distributed Kafka pipeline is not built yet; unset it to run embedded');
  }
  if (roles.has('collector') && !roles.has('ingest')) {
    throw new Error('the collector role needs the ingest role in the same process until the Kafka pipeline exists (SPANLENS_ROLES)');
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'spanlens_' });

  const needsStorage = [...roles].some((role) => storageRoles.has(role));
  const client: ClickHouseClient | undefined = needsStorage ? await openClickHouse(config.storage) : undefined;
  const database = config.storage.database;
  if (client) {
    const applied = await migrate(client, database);
    logger.info({ applied, database, store: config.storage.clickhouse.url ?? config.storage.data_dir }, 'storage ready');
  }

  // The gauge reads the batcher when scraped, after it exists.
  const collectorMetrics = createCollectorMetrics(registry, { pendingSpans: () => batcher?.pending ?? 0 });
  const batcher = client && roles.has('ingest')
    ? new GroupCommitBatcher({
        write: (spans) => insertSpans(client, database, spans),
        maxSpans: config.ingest.batch_max_spans,
        maxWaitMs: config.ingest.batch_max_wait_ms,
        maxPending: config.ingest.max_pending_spans,
        maxConcurrentWrites: config.ingest.max_concurrent_inserts,
        onBatchWritten: ({ spans, seconds }) => {
          collectorMetrics.batchSpans.observe(spans);
          collectorMetrics.insertSeconds.observe(seconds);
        },
        onBatchFailed: ({ spans, error }) => {
          collectorMetrics.insertFailures.inc();
          logger.error({ err: error, spans }, 'insert failed');
        },
      })
    : undefined;

  const rollup = client && roles.has('jobs')
    ? new RollupScheduler({ client, database, intervalMs: config.rollup.interval_ms, logger })
    : undefined;
  rollup?.start();

  const app = createHttpApp({
    registry,
    logger,
    ready: async () => {
      if (!client) return { ok: true, detail: 'no storage role' };
      const ping = await client.ping();
      return ping.success ? { ok: true, detail: 'storage reachable' } : { ok: false, detail: `storage unreachable: ${String(ping.error)}` };
    },
    otlpTraces: roles.has('collector') && batcher
      ? createOtlpTracesHandler({ maxBodyBytes: config.server.max_body_bytes, mapping: config.mapping, pricer: createPricer({ customPrices: config.pricing.models }), sink: batcher, metrics: collectorMetrics, logger })
      : undefined,
    api: client && roles.has('api') ? createApiRouter({ client, database }) : undefined,
  });

  const server = await listen(app, config.server.host, config.server.port);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, roles: [...roles] }, 'spanlens started');

  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        // Stop new connections first; requests already inside wait for their
        // batch, which close() on the batcher writes before storage closes.
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await batcher?.close();
        await rollup?.stop();
        await serverClosed;
        await client?.close();
        logger.info('spanlens stopped');
      })();
      return closing;
    },
  };
}

function listen(app: ReturnType<typeof createHttpApp>, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`server.port: ${host}:${port} is already in use (set SPANLENS_PORT)`) : error);
    });
  });
}
