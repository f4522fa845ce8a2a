export { llmSpanSchema, rejectReasons } from './model/span';
export { EARLIEST_NS, LATEST_NS, decimalBefore, nsInStoredRange } from './model/time-range';
export type { LlmSpan, UnpricedLlmSpan, RejectReason, RejectedSpan } from './model/span';
export {
  spanEnvelopeSchema,
  spanEnvelopeVersion,
  spanBatchSchema,
  feedbackBatchSchema,
  encodeSpanEnvelope,
  decodeSpanEnvelope,
  encodeFeedbackEnvelope,
  decodeFeedbackEnvelope,
} from './model/span-envelope';
export type { SpanEnvelope, SpanBatch, Decoded, DecodedEnvelope } from './model/span-envelope';
export { feedbackInputSchema, feedbackSchema, normaliseFeedback, parseFeedbackBody } from './model/feedback';
export type { Feedback, FeedbackInput, ParsedFeedback } from './model/feedback';
export { insertFeedback } from './storage/insert-feedback';
export { writeSpansThroughOwner, writeFeedbackThroughOwner } from './storage/owner-store';
export { configSchema, roleNames } from './config/schema';
export type { SpanlensConfig, StorageConfig, MappingConfig, IngestConfig, KafkaConfig, JobsConfig, FinanceConfig, DriftConfig, AlertsConfig, RedactionConfig, RetentionConfig, LimitsConfig, ServerConfig, ChannelConfig, CustomPrice, Role } from './config/schema';
export { loadConfig, ConfigError } from './config/load';
export { createLogger } from './log/logger';
export type { Logger } from './log/logger';
export { SpanlensError } from './errors/spanlens-error';
export { createPricer } from './pricing/pricer';
export type { Pricer, PriceResult, PriceInput, AppliedPrice, PerMillionRates, PriceSource } from './pricing/pricer';
export { configPriceVersion, describePriceIssues, overridePriceVersion, priceRates, priceOverrideInputSchema, priceOverrideListSchema, priceOverrideSchema, priceOverrideStateSchema, priceOverridesRevision } from './pricing/price-overrides';
export type { PriceOverride } from './pricing/price-overrides';
export { deletePriceOverride, loadPriceOverrides, storePriceOverride } from './pricing/override-store';
export type { PriceKey } from './pricing/override-store';
export { costGroupings, costsQuerySchema, costReportSchema, costRowSchema, costSeriesQuerySchema, costSeriesSchema, seriesIntervals } from './api/costs';
export type { CostGrouping, CostReport, CostRow, CostSeries, SeriesInterval } from './api/costs';
export { listedPriceSchema, noPricesInForce, priceListSchema, pricesInForce } from './api/prices';
export type { ListedPrice, PriceList, PricesInForce } from './api/prices';
export { openClickHouse } from './storage/open-clickhouse';
export { migrate, migrations } from './storage/migrate';
export { recordAudit, listAudit, localCliActor } from './storage/audit';
export type { AuditEntry, AuditRecord } from './storage/audit';
export { keyScopes, isKeyScope, parseApiKey, generateApiKey, presentedKeyDigest } from './auth/api-key';
export type { KeyScope, ParsedApiKey } from './auth/api-key';
export { loadApiKeys, createApiKey, revokeApiKey, summariseKey } from './auth/key-store';
export type { ApiKeyRecord, ApiKeySummary, RevokeOutcome } from './auth/key-store';
export { ApiKeyVerifier } from './auth/key-verifier';
export { Periodic } from './util/periodic';
export type { Verification, ApiKeyVerifierOptions } from './auth/key-verifier';
export type { Migration } from './storage/migrate';
export { insertSpans } from './storage/insert-spans';
export { spanColumns } from './storage/span-row';
export { StorageError } from './storage/storage-error';
export type { StorageErrorCode } from './storage/storage-error';
export { tableName, spanlensTables } from './storage/tables';
export type { SpanlensTable } from './storage/tables';
export { applyRetention } from './storage/retention';
