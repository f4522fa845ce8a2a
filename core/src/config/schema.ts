import { z } from 'zod';

export const roleNames = ['collector', 'ingest', 'jobs', 'alerts', 'api'] as const;
export type Role = (typeof roleNames)[number];

const customPriceSchema = z
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
    /** Largest single send; must stay under the broker's and topic's max message size (1 MiB by default). */
    max_request_bytes: z.number().int().min(1024).default(kafkaDefaults.max_request_bytes),
    /** The most an ingest worker fetches from one partition at once (bounds its memory). */
    fetch_max_bytes_per_partition: z.number().int().positive().default(kafkaDefaults.fetch_max_bytes_per_partition),
  })
  .strict()
  .default(kafkaDefaults);

export const configSchema = z
  .object({
    roles: z.array(z.enum(roleNames)).min(1).default([...roleNames]),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(4318),
        /** Largest OTLP request body accepted, after decompression. */
        max_body_bytes: z.number().int().positive().default(16 * 1024 * 1024),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 4318, max_body_bytes: 16 * 1024 * 1024 }),
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
      })
      .strict()
      .default({
        feature_keys: ['feature', 'app.feature'],
        max_attributes_per_span: 1000,
        max_attribute_value_chars: 4096,
        resource_attribute_prefixes: ['service.', 'deployment.', 'k8s.', 'cloud.', 'host.name', 'container.name', 'faas.name'],
      }),
    pricing: z
      .object({ models: z.array(customPriceSchema).default([]) })
      .strict()
      .default({ models: [] }),
    rollup: z
      .object({ interval_ms: z.number().int().positive().default(10_000) })
      .strict()
      .default({ interval_ms: 10_000 }),
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
