import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import type { ClickHouseClient } from '@clickhouse/client';
import {
  applyRetention,
  createPricer,
  insertFeedback,
  insertSpans,
  migrate,
  openClickHouse,
  writeFeedbackThroughOwner,
  writeSpansThroughOwner,
  type LlmSpan,
  type Logger,
  type SpanlensConfig,
} from '@spanlens/core';
import {
  createCollectorMetrics,
  createKafkaClient,
  createKafkaMetrics,
  createOtlpTracesHandler,
  createFeedbackHandler,
  createRedactor,
  createOwnerHandlers,
  ensureTopics,
  GroupCommitBatcher,
  IngestLimiter,
  KafkaIngestWorker,
  KafkaSpanSink,
  type CollectorMetrics,
  type FeedbackSink,
  type SpanSink,
} from '@spanlens/collector';
import { createApiRouter, createDashboardRouter, createJobs, JobScheduler } from '@spanlens/analytics';
import { hostname } from 'node:os';
import { Router, type RequestHandler } from 'express';
import { AlertEvaluator, createAlertsRouter, defaultRulesDir, loadRules } from '@spanlens/alerts';
import { createHttpApp } from './http-app';
import { createAdminAudit } from './auth/audit-admin-actions';
import { createKeysRouter } from './auth/keys-routes';
import { bindProblem, startProcessKeys } from './auth/process-keys';
import { createRequireKey } from './auth/require-key';
import { createKeyVerificationRouter } from './auth/key-verification-routes';
import { createPricesRouter } from './prices/price-routes';
import { createPriceSyncRouter } from './prices/price-sync-routes';
import { startProcessPrices } from './prices/process-prices';
import { planProcess } from './roles';
import { listRoutes } from './route-list';
import { removeServerFile, writeServerFile } from './server-file';
import { storedUserId } from './stored-user-id';

export interface RunningSpanlens {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:4318. */
  url: string;
  /** What the server offers, for the start-up line: e.g. `OTLP: …/v1/traces`. */
  endpoints: string[];
  /** Every route the server registers, as `METHOD /path` (the security tests check each has its scopes). */
  routes: string[];
  /** Stops taking requests, stores every accepted span, then releases storage. */
  close(): Promise<void>;
}

/**
 * The composition root: wires the packages into one process for the roles
 * the config names. Embedded: the collector hands spans to the in-process
 * batcher. Distributed: collectors publish to Kafka, ingest workers consume
 * and store, each in whichever process runs that role.
 */
export async function startSpanlens(config: SpanlensConfig, logger: Logger): Promise<RunningSpanlens> {
  const plan = planProcess(config);
  const { roles } = plan;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'spanlens_' });
  let pendingSpans = () => 0;
  const collectorMetrics = createCollectorMetrics(registry, { pendingSpans: () => pendingSpans() });
  const redactor = createRedactor(config.redaction);

  const client: ClickHouseClient | undefined = plan.opensStorage ? await openClickHouse(config.storage) : undefined;
  const database = config.storage.database;
  if (client) {
    const applied = await migrate(client, database);
    const retention = await applyRetention(client, database, config.retention);
    if (retention.length > 0) logger.info({ statements: retention }, 'retention TTLs set from retention.*');
    logger.info({ applied, database, store: config.storage.clickhouse.url ?? config.storage.data_dir }, 'storage ready');
  }
  // Before anything listens: without keys every route is open, so only loopback is allowed.
  const keys = await startProcessKeys({ client, config, logger });
  const refused = bindProblem(config.server.host, keys.verifier.enforcing, keys.source);
  if (refused) {
    await keys.close();
    await client?.close();
    throw new Error(refused);
  }
  // Prices set through the API, read before the first span is priced and kept fresh (see startProcessPrices).
  const pricer = createPricer({ customPrices: config.pricing.models });
  const prices = await startProcessPrices({ client, config, pricer, logger, pricesSpans: roles.has('collector') }).catch(async (error: unknown) => {
    await keys.close();
    await client?.close();
    throw error;
  });
  if (roles.has('collector') && !prices.watcher) logger.warn('this collector has no store, ClickHouse server or storage.owner_url to read prices set through the API from: it prices with pricing.models and the catalogue only');
  if (!keys.verifier.enforcing) logger.warn({ host: config.server.host }, 'no API keys exist: every route is open, so Spanlens listens on loopback only; create one with `spanlens keys create --scope admin`');

  // Where this process stores spans: its own store, or the owner of the embedded one.
  const ownerUrl = plan.writesThroughOwner ? config.storage.owner_url : undefined;
  const store = client && roles.has('ingest')
    ? storeBatcher(config, collectorMetrics, logger, (spans) => insertSpans(client, database, spans))
    : ownerUrl
      ? storeBatcher(config, collectorMetrics, logger, (spans) => writeSpansThroughOwner(ownerUrl, spans, config.auth.api_key))
      : undefined;
  // Feedback is rare next to spans: each request's items are one insert.
  const feedbackStore: FeedbackSink | undefined = client && roles.has('ingest')
    ? { submit: (items) => insertFeedback(client, database, items) }
    : ownerUrl
      ? { submit: (items) => writeFeedbackThroughOwner(ownerUrl, items, config.auth.api_key) }
      : undefined;

  const kafka = plan.kafka && (roles.has('collector') || roles.has('ingest')) ? createKafkaClient(config.kafka, logger, [...roles].join('-')) : undefined;
  const kafkaMetrics = kafka ? createKafkaMetrics(registry) : undefined;
  if (kafka) {
    await ensureTopics(kafka, config.kafka).catch((error: Error) => {
      throw new Error(`Kafka at ${config.kafka.brokers.join(',')} (SPANLENS_KAFKA_BROKERS) could not be reached or its topics created: ${error.message}`);
    });
  }
  const kafkaSink = kafka && kafkaMetrics && roles.has('collector') ? new KafkaSpanSink({ kafka, config: config.kafka, metrics: kafkaMetrics, logger }) : undefined;
  await kafkaSink?.connect();
  const collectorSink: SpanSink | undefined = roles.has('collector') ? (kafkaSink ?? store) : undefined;
  const collectorFeedback: FeedbackSink | undefined = roles.has('collector') ? (kafkaSink?.feedback ?? feedbackStore) : undefined;
  if (kafkaSink) pendingSpans = () => kafkaSink.pending;
  else if (store) pendingSpans = () => store.pending;

  const worker = kafka && kafkaMetrics && store && feedbackStore && roles.has('ingest')
    ? new KafkaIngestWorker({ kafka, config: config.kafka, store, feedbackStore, metrics: kafkaMetrics, logger })
    : undefined;
  await worker?.start();

  // The jobs role runs the jobs on their schedules; a process with only the
  // api role can still run them on request (`spanlens jobs run` through it).
  const jobs = client && (roles.has('jobs') || roles.has('api'))
    ? new JobScheduler({ jobs: createJobs(), client, database, config, logger, schedule: roles.has('jobs') && config.jobs.enabled })
    : undefined;
  jobs?.start();

  // The alerts role evaluates the rules on stored data and notifies; bad
  // rules are reported and skipped, the others run.
  let alerts: AlertEvaluator | undefined;
  if (client && roles.has('alerts')) {
    const { rules, problems } = loadRules({
      ...(config.alerts.default_rules ? { defaultsDir: defaultRulesDir } : {}),
      ...(config.alerts.rules_dir ? { userDir: config.alerts.rules_dir } : {}),
      channels: Object.keys(config.alerts.channels),
    });
    for (const problem of problems) logger.error({ problem }, 'alert rule not loaded');
    alerts = new AlertEvaluator({ client, database, config: config.alerts, rules, logger: logger.child({ component: 'alerts' }), replica: `${hostname()}:${process.pid}` });
    alerts.start();
    logger.info({ rules: rules.length, problems: problems.length, channels: Object.keys(config.alerts.channels) }, 'alert rules loaded');
  }

  const limiter = new IngestLimiter(config.limits);
  const app = createHttpApp({
    registry,
    logger,
    guard: createRequireKey(keys.verifier),
    keyVerification: keys.table && client ? createKeyVerificationRouter({ verifier: keys.table }) : undefined,
    priceSync: client && prices.watcher ? createPriceSyncRouter({ watcher: prices.watcher }) : undefined,
    ready: async () => {
      const checks = [kafkaSink?.health() ?? { ok: true, detail: '' }];
      if (client) {
        const ping = await client.ping();
        checks.push(ping.success ? { ok: true, detail: 'storage reachable' } : { ok: false, detail: `storage unreachable: ${String(ping.error)}` });
      }
      const details = checks.map((check) => check.detail).filter(Boolean);
      return { ok: checks.every((check) => check.ok), detail: details.join('; ') || 'no storage or Kafka in this process' };
    },
    otlpTraces: collectorSink
      ? createOtlpTracesHandler({ maxBodyBytes: config.server.max_body_bytes, mapping: config.mapping, pricer, redactor, sink: collectorSink, feedback: collectorFeedback, metrics: collectorMetrics, logger, limiter, maxJsonDepth: config.limits.max_json_depth })
      : undefined,
    feedback: collectorFeedback ? createFeedbackHandler({ sink: collectorFeedback, redactor, metrics: collectorMetrics, logger, limiter, maxJsonDepth: config.limits.max_json_depth }) : undefined,
    // The owner of the store takes spans and feedback from ingest workers that have none.
    owner: client && store && feedbackStore ? createOwnerHandlers({ spans: store, feedback: feedbackStore, maxBodyBytes: 256 * 1024 * 1024 }) : undefined,
    api: client && keys.table && prices.watcher && roles.has('api') ? apiRouter(createAdminAudit({ client, database, logger }), createKeysRouter({ client, database, verifier: keys.table, logger }), createPricesRouter({ client, database, pricer, watcher: prices.watcher, configPrices: config.pricing.models, logger }), createApiRouter({ client, database, config, logger, jobs, storedUserId: storedUserId(config, redactor) }), createAlertsRouter({ client, database, config: config.alerts })) : undefined,
    dashboard: client && roles.has('api') ? createDashboardRouter() : undefined,
  });

  const server = await listen(app, config.server);
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, roles: [...roles], kafka: plan.kafka, prices: prices.source }, 'spanlens started');
  // CLI commands on the same embedded directory find this server and use its API.
  const ownsDataDir = Boolean(client) && !config.storage.clickhouse.url;
  if (ownsDataDir) writeServerFile(config.storage.data_dir, url);

  let closing: Promise<void> | undefined;
  const endpoints = [
    ...(collectorSink ? [`OTLP: ${url}/v1/traces`, `feedback: ${url}/v1/feedback`] : []),
    ...(client && roles.has('api') ? [`API: ${url}/api/v1`, `dashboard: ${url}/`] : []),
    ...(worker ? [`ingest worker in consumer group ${config.kafka.consumer_group}`] : []),
    `metrics: ${url}/metrics`,
    keys.verifier.enforcing ? 'API keys required' : 'no API keys: open, loopback only',
  ];
  return {
    url,
    endpoints,
    routes: listRoutes(app),
    close() {
      closing ??= (async () => {
        // Stop new connections first; requests already inside wait for their
        // spans to be published or stored, which the closes below finish.
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await kafkaSink?.close();
        await worker?.close();
        await store?.close();
        await jobs?.stop();
        await alerts?.stop();
        await serverClosed;
        await keys.close();
        await prices.close();
        await client?.close();
        if (ownsDataDir) removeServerFile(config.storage.data_dir);
        logger.info('spanlens stopped');
      })();
      return closing;
    },
  };
}

/** The admin audit, key, analytics and alerts routes under one `/api/v1` router (the packages never import each other). */
function apiRouter(...routers: Array<Router | RequestHandler>): Router {
  const router = Router();
  for (const part of routers) router.use(part);
  return router;
}

function storeBatcher(config: SpanlensConfig, metrics: CollectorMetrics, logger: Logger, write: (spans: LlmSpan[]) => Promise<void>): GroupCommitBatcher {
  return new GroupCommitBatcher({
    write,
    maxSpans: config.ingest.batch_max_spans,
    maxWaitMs: config.ingest.batch_max_wait_ms,
    maxPending: config.ingest.max_pending_spans,
    maxConcurrentWrites: config.ingest.max_concurrent_inserts,
    onBatchWritten: ({ spans, seconds }) => {
      metrics.batchSpans.observe(spans);
      metrics.insertSeconds.observe(seconds);
    },
    onBatchFailed: ({ spans, error }) => {
      metrics.insertFailures.inc();
      logger.error({ err: error, spans }, 'insert failed');
    },
  });
}

/**
 * Slow clients are dropped: headers must arrive within headers_timeout_ms and
 * the whole request within request_timeout_ms (a slowloris client trickling
 * bytes holds a socket otherwise). Node checks these every
 * connectionsCheckingInterval, so that is kept well under the timeouts.
 */
function listen(app: ReturnType<typeof createHttpApp>, options: SpanlensConfig['server']): Promise<Server> {
  const { host, port } = options;
  const requestTimeout = options.request_timeout_ms;
  const headersTimeout = Math.min(options.headers_timeout_ms, requestTimeout);
  return new Promise((resolve, reject) => {
    const server = createServer({ requestTimeout, headersTimeout, connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 4))) }, app);
    server.listen(port, host);
    server.once('listening', () => resolve(server));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new Error(`server.port: ${host}:${port} is already in use (set SPANLENS_PORT)`) : error);
    });
  });
}
