/**
 * A small helper for Node applications that wraps an LLM SDK call in an
 * OpenTelemetry GenAI span with its call site and prompt id, built only on
 * `@opentelemetry/api`.
 */
export { traceLlmCall, type LlmCallOptions } from './trace-llm-call.js';
export { CallSiteSpanProcessor, type CallSiteSpanProcessorOptions } from './call-site-span-processor.js';
export type { CallSite } from './call-site.js';
export { readResponse as readLlmResponse, type ResponseReading, type TokenUsage } from './response-reading.js';
export { SDK_NAME, SDK_VERSION } from './version.js';
