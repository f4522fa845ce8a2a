import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load';

const emptyDir = () => mkdtempSync(join(tmpdir(), 'spanlens-config-'));

describe('loadConfig', () => {
  it('starts embedded on 127.0.0.1:4318 with ./.spanlens/data when nothing is configured', () => {
    const config = loadConfig({ env: {}, cwd: emptyDir() });
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 4318 });
    expect(config.storage.data_dir).toBe('./.spanlens/data');
    expect(config.storage.clickhouse.url).toBeUndefined();
    expect(config.roles).toEqual(['collector', 'ingest', 'jobs', 'alerts', 'api']);
  });

  it('lets SPANLENS_* variables override spanlens.yaml', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'spanlens.yaml'), 'server:\n  port: 5000\nstorage:\n  data_dir: /var/lib/a\npricing:\n  models:\n    - model: ft:bot\n      per_call_usd: 0.01\n');
    const config = loadConfig({ env: { SPANLENS_PORT: '6000', SPANLENS_ROLES: 'collector, api' }, cwd });
    expect(config.server.port).toBe(6000);
    expect(config.storage.data_dir).toBe('/var/lib/a');
    expect(config.roles).toEqual(['collector', 'api']);
    expect(config.pricing.models[0]).toMatchObject({ model: 'ft:bot', per_call_usd: 0.01, input_per_mtok: 0 });
  });

  it('reads the distributed settings: brokers, topics, partitions, consumer group and the store owner', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'spanlens.yaml'), 'kafka:\n  topics:\n    spans: prod.spans\n  partitions: 12\n');
    const config = loadConfig({
      env: { SPANLENS_KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', SPANLENS_KAFKA_CONSUMER_GROUP: 'ingest-eu', SPANLENS_KAFKA_TOPIC_DEAD_LETTER: 'prod.dlq', SPANLENS_STORAGE_OWNER_URL: 'http://127.0.0.1:4318' },
      cwd,
    });
    expect(config.kafka).toMatchObject({
      brokers: ['kafka-1:9092', 'kafka-2:9092'],
      topics: { spans: 'prod.spans', feedback: 'spanlens.feedback', dead_letter: 'prod.dlq' },
      partitions: 12,
      consumer_group: 'ingest-eu',
    });
    expect(config.storage.owner_url).toBe('http://127.0.0.1:4318');
    expect(() => loadConfig({ env: { SPANLENS_KAFKA_BROKERS: 'kafka-1' }, cwd: emptyDir() })).toThrow(/kafka\.brokers\.0 \(from SPANLENS_KAFKA_BROKERS\): expected host:port/);
    expect(() => loadConfig({ env: { SPANLENS_KAFKA_PARTITIONS: '0' }, cwd: emptyDir() })).toThrow(/kafka\.partitions \(from SPANLENS_KAFKA_PARTITIONS\)/);
    // Record batches are gzip-compressed unless turned off; other codecs are refused by name.
    expect(config.kafka.compression).toBe('gzip');
    expect(loadConfig({ env: { SPANLENS_KAFKA_COMPRESSION: 'none' }, cwd: emptyDir() }).kafka.compression).toBe('none');
    expect(() => loadConfig({ env: { SPANLENS_KAFKA_COMPRESSION: 'zstd' }, cwd: emptyDir() })).toThrow(/kafka\.compression \(from SPANLENS_KAFKA_COMPRESSION\)/);
  });

  it('names the bad key and the variable it came from', () => {
    expect(() => loadConfig({ env: { SPANLENS_PORT: 'eighty' }, cwd: emptyDir() })).toThrow(/server\.port \(from SPANLENS_PORT\)/);
    expect(() => loadConfig({ env: { SPANLENS_ROLES: 'collector,frontend' }, cwd: emptyDir() })).toThrow(/roles\.1 \(from SPANLENS_ROLES\)/);
  });

  it('reads redaction settings, names a bad pattern, and turns redaction off by SPANLENS_REDACTION_ENABLED', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'spanlens.yaml'), 'redaction:\n  disabled: [ip]\n  patterns:\n    - name: employee_id\n      pattern: "EMP-\\\\d{6}"\n');
    expect(loadConfig({ env: {}, cwd }).redaction).toEqual({ enabled: true, disabled: ['ip'], patterns: [{ name: 'employee_id', pattern: 'EMP-\\d{6}' }] });
    expect(loadConfig({ env: { SPANLENS_REDACTION_ENABLED: 'false' }, cwd }).redaction.enabled).toBe(false);
    expect(() => loadConfig({ env: { SPANLENS_REDACTION_ENABLED: 'nope' }, cwd })).toThrow(/redaction\.enabled \(from SPANLENS_REDACTION_ENABLED\)/);
    writeFileSync(join(cwd, 'spanlens.yaml'), 'redaction:\n  patterns:\n    - name: broken\n      pattern: "([a-z"\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/redaction\.patterns\.0\.pattern.*not a valid JavaScript regular expression/);
  });

  it('names the bad key and the file, including unknown keys', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'spanlens.yaml'), 'server:\n  prot: 80\npricing:\n  models:\n    - model: x\n      input_per_mtok: -3\n');
    let message = '';
    try {
      loadConfig({ env: {}, cwd });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('spanlens.yaml');
    expect(message).toMatch(/server.*prot/);
    expect(message).toContain('pricing.models.0.input_per_mtok');
  });

  it('reports unparseable YAML and a missing SPANLENS_CONFIG file', () => {
    const cwd = emptyDir();
    writeFileSync(join(cwd, 'spanlens.yaml'), 'server: [unclosed\n');
    expect(() => loadConfig({ env: {}, cwd })).toThrow(/invalid YAML/);
    expect(() => loadConfig({ env: { SPANLENS_CONFIG: 'nope.yaml' }, cwd })).toThrow(/SPANLENS_CONFIG: config file .*nope\.yaml does not exist/);
  });
});
