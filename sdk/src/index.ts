/**
 * A small helper for Node applications that wraps an LLM SDK call in an
 * OpenTelemetry GenAI span with its call site and prompt id, built only on
 * `@opentelemetry/api`.
 */
export { traceLlmCall, type LlmCallOptions } from './trace-llm-call';
export { CallSiteSpanProcessor, type CallSiteSpanProcessorOptions } from './call-site-span-processor';
export type { CallSite } from './call-site';
export { readResponse as readLlmResponse, type ResponseReading, type TokenUsage } from './response-reading';
export { SDK_NAME, SDK_VERSION } from './version';
