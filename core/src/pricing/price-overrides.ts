import { createHash } from 'node:crypto';
import { z } from 'zod';
import { customPriceSchema, type CustomPrice } from '../config/schema';

/**
 * A model price set through the API (`PUT /api/v1/prices`): the fields of a
 * `pricing.models` entry, plus the version that identifies this setting. It
 * wins over the config file and the catalogue until it is deleted.
 */
export interface PriceOverride extends CustomPrice {
  /**
   * Unique across the table and increasing with every change (milliseconds
   * since the epoch, or one more than the latest version when the clock has
   * not moved on): spans priced with it carry `override:<version>`.
   */
  version: number;
  /** When it was set, ISO 8601. */
  updated_at: string;
}

/**
 * The body of `PUT /api/v1/prices`: a `pricing.models` entry, with bounds on
 * the names (they end up in URLs, logs and the audit log).
 */
export const priceOverrideInputSchema = customPriceSchema.extend({
  model: z.string().min(1).max(256),
  provider: z.string().min(1).max(128).optional(),
});

/** An override as the owner of the store hands it to collectors (`GET /internal/v1/prices`). */
export const priceOverrideSchema = priceOverrideInputSchema.extend({
  version: z.number().int().nonnegative(),
  updated_at: z.string(),
});

/** `GET /internal/v1/prices/state`: what a collector polls. */
export const priceOverrideStateSchema = z.object({ revision: z.string() });
/** `GET /internal/v1/prices`: every override in force on the owner of the store. */
export const priceOverrideListSchema = z.object({ revision: z.string(), overrides: z.array(priceOverrideSchema) });

/** The `price_version` stamped on spans priced with an API override. */
/** A price's rates with the optional ones as null, as the API shows them and the table stores them. */
export function priceRates(price: CustomPrice) {
  return {
    input_per_mtok: price.input_per_mtok,
    output_per_mtok: price.output_per_mtok,
    cache_read_per_mtok: price.cache_read_per_mtok ?? null,
    cache_write_per_mtok: price.cache_write_per_mtok ?? null,
    reasoning_per_mtok: price.reasoning_per_mtok ?? null,
    per_call_usd: price.per_call_usd,
  };
}

export function overridePriceVersion(version: number): string {
  return `override:${version}`;
}

/** The `price_version` stamped on spans priced with a `pricing.models` entry of the config file. */
export function configPriceVersion(price: CustomPrice): string {
  return `custom:${createHash('sha256').update(JSON.stringify(price)).digest('hex').slice(0, 12)}`;
}

/**
 * Changes whenever an override is set or deleted: a process that prices
 * spans re-reads the overrides (and empties its pricer's cache) only then.
 */
export function priceOverridesRevision(overrides: readonly PriceOverride[]): string {
  const lines = overrides.map((price) => `${price.model}\u0000${price.provider ?? ''}\u0000${price.version}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 22);
}

/** One message naming every bad field, e.g. `input_per_mtok: Too small: expected number to be >=0`. */
export function describePriceIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.join(', ')}` : `${issue.path.join('.') || 'body'}: ${issue.message}`))
    .join('; ');
}
