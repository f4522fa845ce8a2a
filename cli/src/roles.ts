import type { Role, SpanlensConfig } from '@spanlens/core';

/** Roles that read or write ClickHouse. */
export const storageRoles: ReadonlySet<Role> = new Set(['ingest', 'jobs', 'alerts', 'api']);

export interface ProcessPlan {
  roles: ReadonlySet<Role>;
  /** Collectors publish to Kafka and ingest consumes from it. */
  kafka: boolean;
  /** This process opens the store (the embedded directory or a ClickHouse server). */
  opensStorage: boolean;
  /** This process's ingest worker writes through the process that owns the embedded store. */
  writesThroughOwner: boolean;
}

/**
 * Decides what this process runs from its roles and config, and refuses
 * combinations that cannot work, naming the setting to change.
 */
export function planProcess(config: SpanlensConfig): ProcessPlan {
  const roles = new Set(config.roles);
  const kafka = config.kafka.brokers.length > 0;
  const ownerUrl = config.storage.owner_url;
  if (roles.has('collector') && !kafka && !roles.has('ingest')) {
    throw new Error('the collector role without Kafka stores spans itself, so it needs the ingest role in the same process: add ingest to SPANLENS_ROLES or set SPANLENS_KAFKA_BROKERS');
  }
  if (ownerUrl) {
    const others = [...roles].filter((role) => role !== 'ingest' && role !== 'collector');
    if (others.length > 0) {
      throw new Error(`storage.owner_url (SPANLENS_STORAGE_OWNER_URL) is for extra ingest workers; the roles ${others.join(', ')} need a store of their own`);
    }
    if (roles.has('ingest') && !kafka) {
      throw new Error('storage.owner_url (SPANLENS_STORAGE_OWNER_URL) is set for an ingest worker, but it has no Kafka to consume from: set SPANLENS_KAFKA_BROKERS');
    }
  }
  const writesThroughOwner = Boolean(ownerUrl) && roles.has('ingest');
  const opensStorage = !writesThroughOwner && [...roles].some((role) => storageRoles.has(role));
  return { roles, kafka, opensStorage, writesThroughOwner };
}
