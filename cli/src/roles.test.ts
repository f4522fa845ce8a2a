import { describe, expect, it } from 'vitest';
import { loadConfig } from '@spanlens/core';
import { planProcess } from './roles';

const plan = (env: Record<string, string>) => planProcess(loadConfig({ env, cwd: '/nonexistent-spanlens-dir' }));

describe('planProcess', () => {
  it('runs everything in one process on the embedded store by default', () => {
    expect(plan({})).toMatchObject({ kafka: false, opensStorage: true, writesThroughOwner: false });
  });

  it('lets a collector run alone, without storage, when Kafka is configured', () => {
    expect(plan({ SPANLENS_ROLES: 'collector', SPANLENS_KAFKA_BROKERS: '127.0.0.1:9092' })).toMatchObject({ kafka: true, opensStorage: false });
    expect(() => plan({ SPANLENS_ROLES: 'collector' })).toThrow(/needs the ingest role in the same process: add ingest to SPANLENS_ROLES or set SPANLENS_KAFKA_BROKERS/);
  });

  it('makes an ingest worker with an owner URL write through the owner instead of opening the store', () => {
    expect(plan({ SPANLENS_ROLES: 'ingest', SPANLENS_KAFKA_BROKERS: '127.0.0.1:9092', SPANLENS_STORAGE_OWNER_URL: 'http://127.0.0.1:4318' })).toMatchObject({
      opensStorage: false,
      writesThroughOwner: true,
    });
    expect(() => plan({ SPANLENS_ROLES: 'ingest,api', SPANLENS_KAFKA_BROKERS: '127.0.0.1:9092', SPANLENS_STORAGE_OWNER_URL: 'http://127.0.0.1:4318' })).toThrow(/the roles api need a store of their own/);
    expect(() => plan({ SPANLENS_ROLES: 'ingest', SPANLENS_STORAGE_OWNER_URL: 'http://127.0.0.1:4318' })).toThrow(/no Kafka to consume from: set SPANLENS_KAFKA_BROKERS/);
  });
});
