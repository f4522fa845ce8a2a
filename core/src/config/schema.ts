import { z } from 'zod';

export const roleNames = ['collector', 'ingest', 'jobs', 'alerts', 'api'] as const;
export type Role = (typeof roleNames)[number];

/** A model price of `pricing.models`, and the body of `PUT /api/v1/prices`. */
export const customPriceSchema = z
  .object({
    /** The model name as spans report it (`gen_ai.response.model` or `gen_ai.request.model`). */
    model: z.string().min(1),
    /** Restrict the price to one provider (`gen_ai.provider.name`); any provider when absent. */
    provider: z.string().min(1).optional(),
    input_per_mtok: z.number().nonnegative().default(0),
    output_per_mtok: z.number().nonnegative().default(0),
    cache_read_per_mtok: z.number().nonnegative().optional(),
    cache_write_per_mtok: z.number().nonnegative().optional(),
    reasoning_per_mtok: z.number().nonnegative().optional(),
    /** An amortised fixed cost per call, e.g. a self-hosted fine-tuned model. */
    per_call_usd: z.number().nonnegative().default(0),
  })
  .strict();
export type CustomPrice = z.infer<typeof customPriceSchema>;

const kafkaDefaults = {
  brokers: [] as string[],
  client_id: 'spanlens',
  topics: { spans: 'spanlens.spans', feedback: 'spanlens.feedback', dead_letter: 'spanlens.spans.dead-letter' },
  partitions: 6,
  replication_factor: 1,
  consumer_group: 'spanlens-ingest',
  publish_batch_max_spans: 5_000,
  publish_batch_max_wait_ms: 5,
  publish_timeout_ms: 5_000,
  max_pending_spans: 50_000,
  producers: 4,
  compression: 'gzip' as 'gzip' | 'none',
  max_request_bytes: 900_000,
  fetch_max_bytes_per_partition: 8 * 1024 * 1024,
};

const kafkaSchema = z
  .object({
    /** When set, collectors publish to Kafka and ingest workers consume from it. */
    brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'expected host:port')).default(kafkaDefaults.brokers),
    client_id: z.string().min(1).default(kafkaDefaults.client_id),
    topics: z
      .object({
        spans: z.string().min(1).default(kafkaDefaults.topics.spans),
        feedback: z.string().min(1).default(kafkaDefaults.topics.feedback),
        /** Messages an ingest worker cannot read, with the reason in their headers. */
        dead_letter: z.string().min(1).default(kafkaDefaults.topics.dead_letter),
      })
      .strict()
      .default(kafkaDefaults.topics),
    /** Partitions of topics Spanlens creates; the most ingest workers that can share the load. */
    partitions: z.number().int().min(1).max(1000).default(kafkaDefaults.partitions),
    replication_factor: z.number().int().min(1).max(16).default(kafkaDefaults.replication_factor),
    consumer_group: z.string().min(1).default(kafkaDefaults.consumer_group),
    /** A collector publishes the spans of concurrent requests together, up to this many… */
    publish_batch_max_spans: z.number().int().positive().default(kafkaDefaults.publish_batch_max_spans),
    /** …gathered for at most this long. */
    publish_batch_max_wait_ms: z.number().int().positive().default(kafkaDefaults.publish_batch_max_wait_ms),
    /** An OTLP request waits this long for Kafka's acknowledgement before it is answered 503. */
    publish_timeout_ms: z.number().int().positive().default(kafkaDefaults.publish_timeout_ms),
    /** Spans a collector holds while Kafka has not acknowledged them; past this it answers 503. */
    max_pending_spans: z.number().int().positive().default(kafkaDefaults.max_pending_spans),
    /** Idempotent producers a collector publishes with, each with one request in flight. */
    producers: z.number().int().min(1).max(16).default(kafkaDefaults.producers),
    /**
     * Compression of the record batches a collector publishes. gzip (zlib, off
     * the main thread) shrinks the JSON messages several times, so the broker
     * stores and checksums far fewer bytes: on a 2-core machine its CPU falls
     * from 0.22–0.47 to 0.12–0.15 cores, and spans per second end to end rise
     * by 5–35% (pnpm bench:kafka, runs vary).
     */
    compression: z.enum(['gzip', 'none']).default(kafkaDefaults.compression),
    /** Largest single send; must stay under the broker's and topic's max message size (1 MiB by default). */
    max_request_bytes: z.number().int().min(1024).default(kafkaDefaults.max_request_bytes),
    /** The most an ingest worker fetches from one partition at once (bounds its memory). */
    fetch_max_bytes_per_partition: z.number().int().positive().default(kafkaDefaults.fetch_max_bytes_per_partition),
  })
  .strict()
  .default(kafkaDefaults);

const jobsDefaults = {
  enabled: true,
  schedules: {
    rollup: '*/10 * * * * *',
    satisfaction: '*/5 * * * *',
    drift: '7 * * * *',
    digest: '0 6 * * *',
  } as Record<string, string>,
};

/** node-cron expressions (5 fields, or 6 with seconds first), checked loosely here and exactly by node-cron at start. */
const cronExpression = z.string().regex(/^\S+( \S+){4,5}$/, 'expected a cron expression of 5 or 6 fields, e.g. "*/5 * * * *"');

const financeDefaults = {
  features: [] as Array<{ feature: string; monthly_revenue_usd: number }>,
  plans: [] as Array<{ plan: string; monthly_price_usd: number }>,
  user_plan_attribute: 'user.plan',
};

const driftDefaults = {
  current_window_hours: 24,
  reference_window_days: 7,
  min_samples: 200,
  max_samples: 5_000,
  alpha: 0.05,
  min_effect_d: 0.1,
  text_dimensions: 128,
  text_drift_share: 0.1,
};

const channelSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('webhook'),
    url: z.url(),
    /** Signs each body: `X-Spanlens-Signature: sha256=<hex HMAC-SHA256 of the body>`. */
    secret: z.string().min(1).optional(),
  }).strict(),
  /** A Slack incoming webhook. */
  z.object({ type: z.literal('slack'), url: z.url() }).strict(),
  /** PagerDuty Events API v2: `url` defaults to PagerDuty's enqueue endpoint. */
  z.object({ type: z.literal('pagerduty'), routing_key: z.string().min(1), url: z.url().optional() }).strict(),
]);
export type ChannelConfig = z.infer<typeof channelSchema>;

const alertsDefaults = {
  rules_dir: undefined as string | undefined,
  default_rules: true,
  evaluation_interval_ms: 30_000,
  repeat_interval_ms: 4 * 3_600_000,
  delivery_timeout_ms: 10_000,
  delivery_attempts: 5,
  dashboard_url: 'http://127.0.0.1:4318/',
  channels: {} as Record<string, ChannelConfig>,
};

/** The kinds of personal data and secrets the collector recognises (see collector/src/redaction). */
export const redactionTypes = ['private_key', 'jwt', 'secret', 'email', 'iban', 'card', 'national_id', 'ip', 'phone'] as const;

function isRegExp(source: string): boolean {
  try {
    new RegExp(source, 'g');
    return true;
  } catch {
    return false;
  }
}

const serverDefaults = {
  host: '127.0.0.1',
  port: 4318,
  max_body_bytes: 16 * 1024 * 1024,
  headers_timeout_ms: 10_000,
  request_timeout_ms: 60_000,
};

/** Generous enough that one busy application never meets them; they stop floods and runaway loops. */
const limitsDefaults = {
  requests_per_second: 2_000,
  requests_burst: 4_000,
  spans_per_second: 200_000,
  spans_burst: 400_000,
  max_json_depth: 64,
};

export const configSchema = z
  .object({
    roles: z.array(z.enum(roleNames)).min(1).default([...roleNames]),
    server: z
      .object({
        host: z.string().min(1).default(serverDefaults.host),
        port: z.number().int().min(0).max(65535).default(serverDefaults.port),
        /** Largest OTLP request body accepted, after decompression. */
        max_body_bytes: z.number().int().positive().default(16 * 1024 * 1024),
        /** A client must send its request headers within this long, or its connection is dropped (slowloris). */
        headers_timeout_ms: z.number().int().min(100).default(serverDefaults.headers_timeout_ms),
        /** A client must send its whole request within this long, or its connection is dropped. */
        request_timeout_ms: z.number().int().min(100).default(serverDefaults.request_timeout_ms),
      })
      .strict()
      .default(serverDefaults),
    auth: z
      .object({
        /**
         * The key this process presents to other Spanlens processes: CLI commands
         * to the running server's API (read or admin scope), ingest workers to
         * storage.owner_url (internal scope). Keys themselves live in the store.
         */
        api_key: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
    limits: z
      .object({
        /** OTLP and feedback requests per second per key (or per client address without keys); 0: no limit. */
        requests_per_second: z.number().min(0).default(limitsDefaults.requests_per_second),
        /** Requests a key may send at once before its rate applies. */
        requests_burst: z.number().min(1).default(limitsDefaults.requests_burst),
        /** Spans per second per key (or client address); 0: no limit. */
        spans_per_second: z.number().min(0).default(limitsDefaults.spans_per_second),
        /** Spans a key may send at once before its rate applies; a larger single request is refused 429. */
        spans_burst: z.number().min(1).default(limitsDefaults.spans_burst),
        /** Deepest nesting of arrays and objects accepted in a JSON body; deeper ones are refused 400. */
        max_json_depth: z.number().int().min(8).max(10_000).default(limitsDefaults.max_json_depth),
      })
      .strict()
      .default(limitsDefaults),
    storage: z
      .object({
        data_dir: z.string().min(1).default('./.spanlens/data'),
        database: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default('spanlens'),
        clickhouse: z
          .object({
            url: z.url().optional(),
            user: z.string().default('default'),
            password: z.string().default(''),
          })
          .strict()
          .default({ user: 'default', password: '' }),
        /**
         * A running Spanlens process that owns the embedded store. chDB binds a
         * data directory to one process, so extra ingest workers on the same
         * machine write through that process instead of opening the directory.
         */
        owner_url: z.url().optional(),
      })
      .strict()
      .default({ data_dir: './.spanlens/data', database: 'spanlens', clickhouse: { user: 'default', password: '' } }),
    ingest: z
      .object({
        /** A batch closes after this many spans… */
        batch_max_spans: z.number().int().positive().default(10_000),
        /** …or this long after its first span arrived, or when a write slot frees up. */
        batch_max_wait_ms: z.number().int().positive().default(100),
        /** Inserts running at once, so one batch is encoded while another is stored. */
        max_concurrent_inserts: z.number().int().min(1).max(8).default(2),
        /** Spans accepted but not yet stored; past this the receiver answers 503. */
        max_pending_spans: z.number().int().positive().default(50_000),
      })
      .strict()
      .default({ batch_max_spans: 10_000, batch_max_wait_ms: 100, max_concurrent_inserts: 2, max_pending_spans: 50_000 }),
    kafka: kafkaSchema,
    mapping: z
      .object({
        /** Attribute keys read, in order, for a span's feature after `spanlens.feature`. */
        feature_keys: z.array(z.string().min(1)).default(['feature', 'app.feature']),
        /** Attributes kept per span beyond the mapped fields; past this the span is rejected. */
        max_attributes_per_span: z.number().int().positive().default(1000),
        /** Longest attribute value kept, in characters; longer ones are truncated. */
        max_attribute_value_chars: z.number().int().positive().default(4096),
        /**
         * Resource attributes stored with each span: only keys starting with one
         * of these. They repeat on every span and row, so each kept one costs
         * storage and insert time per span; the defaults keep what users filter
         * by and drop the SDK, process and OS descriptions.
         */
        resource_attribute_prefixes: z.array(z.string().min(1)).default(['service.', 'deployment.', 'k8s.', 'cloud.', 'host.name', 'container.name', 'faas.name']),
        /** Store prompt and completion text (redacted, kept 30 days). Off: content is dropped before anything is stored. */
        capture_content: z.boolean().default(false),
        /** Longest prompt or completion text stored, in characters; longer text is cut. */
        max_content_chars: z.number().int().positive().default(4000),
      })
      .strict()
      .default({
        feature_keys: ['feature', 'app.feature'],
        max_attributes_per_span: 1000,
        max_attribute_value_chars: 4096,
        resource_attribute_prefixes: ['service.', 'deployment.', 'k8s.', 'cloud.', 'host.name', 'container.name', 'faas.name'],
        capture_content: false,
        max_content_chars: 4000,
      }),
    retention: z
      .object({
        /** Captured prompt and completion text is emptied this many days after the call (0: kept). */
        content_days: z.number().int().min(0).default(30),
        /** Spans and feedback are deleted this many days after the call (0: kept). */
        spans_days: z.number().int().min(0).default(180),
        /** Hourly and daily rollups are deleted this many days after their hour (0: kept); cost history outlives raw spans. */
        rollups_days: z.number().int().min(0).default(730),
      })
      .strict()
      .default({ content_days: 30, spans_days: 180, rollups_days: 730 }),
    redaction: z
      .object({
        /** Replace personal data and secrets in every stored string with typed placeholders, in the collector. */
        enabled: z.boolean().default(true),
        /** Built-in types to leave alone: private_key, jwt, secret, email, iban, card, national_id, ip, phone. */
        disabled: z.array(z.enum(redactionTypes)).default([]),
        /** Patterns of your own, run after the built-in ones. */
        patterns: z
          .array(
            z
              .object({
                name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'must be lower_snake_case'),
                pattern: z.string().min(1).refine(isRegExp, 'is not a valid JavaScript regular expression'),
                placeholder: z.string().min(1).optional(),
              })
              .strict(),
          )
          .default([]),
        /**
         * Key of the pseudonyms that replace personal data found in ids (user,
         * session, feature, prompt, code location): `[EMAIL:…]` is a keyed
         * hash of the address, so one person's calls still group together.
         * Every collector, and the process that erases, must use the same key.
         * Unset, a built-in key is used and a pseudonym is a plain hash, which
         * someone holding the store could match against a guessed address.
         */
        pseudonym_key: z.string().min(16, 'must be at least 16 characters').optional(),
      })
      .strict()
      .default({ enabled: true, disabled: [], patterns: [] }),
    pricing: z
      .object({ models: z.array(customPriceSchema).default([]) })
      .strict()
      .default({ models: [] }),
    jobs: z
      .object({
        /** Scheduled jobs run in processes with the jobs role; `false` leaves them to `spanlens jobs run`. */
        enabled: z.boolean().default(jobsDefaults.enabled),
        /** Cron schedule per job name; jobs not named keep their default. */
        schedules: z.record(z.string(), cronExpression).default(jobsDefaults.schedules),
      })
      .strict()
      .default(jobsDefaults),
    finance: z
      .object({
        /** Monthly revenue a feature brings, for AI cost as a share of revenue. */
        features: z.array(z.object({ feature: z.string().min(1), monthly_revenue_usd: z.number().nonnegative() }).strict()).default(financeDefaults.features),
        /** Monthly price of each plan, for margin per user and plan. */
        plans: z.array(z.object({ plan: z.string().min(1), monthly_price_usd: z.number().nonnegative() }).strict()).default(financeDefaults.plans),
        /** The span attribute that names the user's plan. */
        user_plan_attribute: z.string().min(1).default(financeDefaults.user_plan_attribute),
      })
      .strict()
      .default(financeDefaults),
    drift: z
      .object({
        current_window_hours: z.number().positive().default(driftDefaults.current_window_hours),
        reference_window_days: z.number().positive().default(driftDefaults.reference_window_days),
        /** A pinned reference window instead of the days before the current one. */
        baseline: z.object({ from: z.iso.datetime({ offset: true }), to: z.iso.datetime({ offset: true }) }).strict().optional(),
        /** Fewer values than this on either side: no test. */
        min_samples: z.number().int().min(2).default(driftDefaults.min_samples),
        /** More than this on a side: a uniform sample of this size. */
        max_samples: z.number().int().min(10).default(driftDefaults.max_samples),
        /** False discovery rate across one run's tests (Benjamini–Hochberg). */
        alpha: z.number().gt(0).lt(1).default(driftDefaults.alpha),
        /** The KS statistic D a result needs, beyond significance, to count as drift. */
        min_effect_d: z.number().min(0).max(1).default(driftDefaults.min_effect_d),
        /** Dimensions of the default prompt-text embedder (hashed n-grams). */
        text_dimensions: z.number().int().min(8).max(1024).default(driftDefaults.text_dimensions),
        /** Share of embedding dimensions that must differ for prompt text to count as drifted. */
        text_drift_share: z.number().gt(0).max(1).default(driftDefaults.text_drift_share),
      })
      .strict()
      .default(driftDefaults),
    alerts: z
      .object({
        /** A directory of the user's rule files (*.yaml), loaded beside the defaults. */
        rules_dir: z.string().min(1).optional(),
        /** Load the rules shipped in alerts/rules/. */
        default_rules: z.boolean().default(alertsDefaults.default_rules),
        evaluation_interval_ms: z.number().int().min(1000).default(alertsDefaults.evaluation_interval_ms),
        /** A firing alert is notified again no sooner than this. */
        repeat_interval_ms: z.number().int().min(60_000).default(alertsDefaults.repeat_interval_ms),
        /** One delivery attempt gives up after this long. */
        delivery_timeout_ms: z.number().int().min(100).default(alertsDefaults.delivery_timeout_ms),
        /** Attempts per notification and channel, with exponential backoff between them. */
        delivery_attempts: z.number().int().min(1).max(20).default(alertsDefaults.delivery_attempts),
        /** Linked from notifications. */
        dashboard_url: z.url().default(alertsDefaults.dashboard_url),
        /** Named channels rules notify. */
        channels: z.record(z.string().min(1), channelSchema).default(alertsDefaults.channels),
      })
      .strict()
      .default(alertsDefaults),
    log: z
      .object({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info') })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

export type SpanlensConfig = z.infer<typeof configSchema>;
export type StorageConfig = SpanlensConfig['storage'];
export type MappingConfig = SpanlensConfig['mapping'];
export type IngestConfig = SpanlensConfig['ingest'];
export type KafkaConfig = SpanlensConfig['kafka'];
export type JobsConfig = SpanlensConfig['jobs'];
export type FinanceConfig = SpanlensConfig['finance'];
export type DriftConfig = SpanlensConfig['drift'];
export type AlertsConfig = SpanlensConfig['alerts'];
export type RedactionConfig = SpanlensConfig['redaction'];
export type RetentionConfig = SpanlensConfig['retention'];
export type LimitsConfig = SpanlensConfig['limits'];
export type ServerConfig = SpanlensConfig['server'];
