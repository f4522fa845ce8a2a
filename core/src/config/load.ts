import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type SpanlensConfig } from './schema';

/** A configuration problem; the message names the file or variable and the key. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type EnvKind = 'string' | 'number' | 'list' | 'boolean';

/** Environment variables and the config key each one sets. */
const envKeys: ReadonlyArray<readonly [string, readonly string[], EnvKind]> = [
  ['SPANLENS_ROLES', ['roles'], 'list'],
  ['SPANLENS_HOST', ['server', 'host'], 'string'],
  ['SPANLENS_PORT', ['server', 'port'], 'number'],
  ['SPANLENS_MAX_BODY_BYTES', ['server', 'max_body_bytes'], 'number'],
  ['SPANLENS_HEADERS_TIMEOUT_MS', ['server', 'headers_timeout_ms'], 'number'],
  ['SPANLENS_REQUEST_TIMEOUT_MS', ['server', 'request_timeout_ms'], 'number'],
  ['SPANLENS_API_KEY', ['auth', 'api_key'], 'string'],
  ['SPANLENS_RATE_LIMIT_REQUESTS_PER_SECOND', ['limits', 'requests_per_second'], 'number'],
  ['SPANLENS_RATE_LIMIT_SPANS_PER_SECOND', ['limits', 'spans_per_second'], 'number'],
  ['SPANLENS_DATA_DIR', ['storage', 'data_dir'], 'string'],
  ['SPANLENS_CLICKHOUSE_URL', ['storage', 'clickhouse', 'url'], 'string'],
  ['SPANLENS_CLICKHOUSE_USER', ['storage', 'clickhouse', 'user'], 'string'],
  ['SPANLENS_CLICKHOUSE_PASSWORD', ['storage', 'clickhouse', 'password'], 'string'],
  ['SPANLENS_CLICKHOUSE_DATABASE', ['storage', 'database'], 'string'],
  ['SPANLENS_KAFKA_BROKERS', ['kafka', 'brokers'], 'list'],
  ['SPANLENS_KAFKA_CLIENT_ID', ['kafka', 'client_id'], 'string'],
  ['SPANLENS_KAFKA_TOPIC_SPANS', ['kafka', 'topics', 'spans'], 'string'],
  ['SPANLENS_KAFKA_TOPIC_FEEDBACK', ['kafka', 'topics', 'feedback'], 'string'],
  ['SPANLENS_KAFKA_TOPIC_DEAD_LETTER', ['kafka', 'topics', 'dead_letter'], 'string'],
  ['SPANLENS_KAFKA_PARTITIONS', ['kafka', 'partitions'], 'number'],
  ['SPANLENS_KAFKA_CONSUMER_GROUP', ['kafka', 'consumer_group'], 'string'],
  ['SPANLENS_KAFKA_COMPRESSION', ['kafka', 'compression'], 'string'],
  ['SPANLENS_STORAGE_OWNER_URL', ['storage', 'owner_url'], 'string'],
  ['SPANLENS_BATCH_MAX_SPANS', ['ingest', 'batch_max_spans'], 'number'],
  ['SPANLENS_BATCH_MAX_WAIT_MS', ['ingest', 'batch_max_wait_ms'], 'number'],
  ['SPANLENS_ALERTS_RULES_DIR', ['alerts', 'rules_dir'], 'string'],
  ['SPANLENS_REDACTION_ENABLED', ['redaction', 'enabled'], 'boolean'],
  ['SPANLENS_REDACTION_PSEUDONYM_KEY', ['redaction', 'pseudonym_key'], 'string'],
  ['SPANLENS_CAPTURE_CONTENT', ['mapping', 'capture_content'], 'boolean'],
  ['SPANLENS_RETENTION_CONTENT_DAYS', ['retention', 'content_days'], 'number'],
  ['SPANLENS_RETENTION_SPANS_DAYS', ['retention', 'spans_days'], 'number'],
  ['SPANLENS_RETENTION_ROLLUPS_DAYS', ['retention', 'rollups_days'], 'number'],
  ['SPANLENS_LOG_LEVEL', ['log', 'level'], 'string'],
];

export interface LoadConfigOptions {
  env: Record<string, string | undefined>;
  cwd: string;
}

/**
 * Reads `spanlens.yaml` (or `$SPANLENS_CONFIG`), overlays `SPANLENS_*`
 * variables and validates the result once. Every problem is reported with the
 * key it concerns and where the value came from.
 */
export function loadConfig(options: LoadConfigOptions): SpanlensConfig {
  const { env, cwd } = options;
  const explicit = env.SPANLENS_CONFIG;
  const path = explicit ? resolve(cwd, explicit) : resolve(cwd, 'spanlens.yaml');
  let raw: unknown = {};
  if (explicit && !existsSync(path)) {
    throw new ConfigError(`SPANLENS_CONFIG: config file ${path} does not exist`);
  }
  if (existsSync(path)) {
    try {
      raw = parseYaml(readFileSync(path, 'utf8')) ?? {};
    } catch (error) {
      throw new ConfigError(`${path}: invalid YAML: ${(error as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ConfigError(`${path}: the top level must be a mapping of keys to values`);
    }
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  const sources = new Map<string, string>();
  for (const [name, keyPath, kind] of envKeys) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(merged, keyPath, parseEnvValue(value, kind));
    sources.set(keyPath.join('.'), name);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(top level)';
      const source = sourceOf(issue.path.map(String), sources) ?? (existsSync(path) ? path : 'defaults');
      return `${key} (from ${source}): ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return result.data;
}

/** The variable that set this key or one of its parents, if any did. */
function sourceOf(keyPath: string[], sources: Map<string, string>): string | undefined {
  for (let length = keyPath.length; length > 0; length--) {
    const source = sources.get(keyPath.slice(0, length).join('.'));
    if (source) return source;
  }
  return undefined;
}

function parseEnvValue(value: string, kind: EnvKind): unknown {
  if (kind === 'list') return value.split(',').map((item) => item.trim()).filter(Boolean);
  if (kind === 'boolean') {
    // Leave anything but true/false as text so validation reports it against its key.
    const normalised = value.trim().toLowerCase();
    return normalised === 'true' ? true : normalised === 'false' ? false : value;
  }
  if (kind === 'number') {
    // Leave a non-number as text so validation reports it against its key.
    return /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : value;
  }
  return value;
}

function setPath(target: Record<string, unknown>, keyPath: readonly string[], value: unknown): void {
  let node = target;
  for (const key of keyPath.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keyPath[keyPath.length - 1] as string] = value;
}
