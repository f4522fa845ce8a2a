import type { Attributes, Context, Span } from '@opentelemetry/api';
import { callSiteAttributes, captureCallSite, isInNodeModules } from './call-site.js';

export interface CallSiteSpanProcessorOptions {
  /** Which spans get a call site; default: spans that carry GenAI, OpenLLMetry or OpenInference LLM attributes when they start. */
  isLlmSpan?: (name: string, attributes: Attributes) => boolean;
  /** Frames to look past; default: files under `node_modules` (the LLM SDK, the instrumentation, the OpenTelemetry SDK). */
  isLibrary?: (filePath: string) => boolean;
  /** How many stack frames to read; the instrumentation and SDK frames come first. Default 40. */
  frames?: number;
}

/**
 * A span processor that adds `code.file.path`, `code.line.number` and
 * `code.function.name` to LLM spans made by automatic instrumentation
 * (OpenLLMetry, OpenInference), which do not record where the application
 * made the call. When the instrumentation starts its span, the application's
 * call into the LLM SDK is still on the stack: the call site is the first
 * frame outside `node_modules`. Spans that already carry `code.file.path`
 * (those of `traceLlmCall`) are left alone.
 *
 * It has the shape of the SDK's `SpanProcessor` (`@opentelemetry/sdk-trace`),
 * so that this package needs only `@opentelemetry/api`:
 *
 *     new NodeTracerProvider({ spanProcessors: [new CallSiteSpanProcessor(), new BatchSpanProcessor(exporter)] })
 *
 * A bundled application (one file for the code and its libraries) has no
 * `node_modules` frames to look past: give `isLibrary` for it.
 */
export class CallSiteSpanProcessor {
  private readonly isLlmSpan: (name: string, attributes: Attributes) => boolean;
  private readonly isLibrary: (filePath: string) => boolean;
  private readonly frames: number;

  constructor(options: CallSiteSpanProcessorOptions = {}) {
    this.isLlmSpan = options.isLlmSpan ?? hasLlmAttributes;
    this.isLibrary = options.isLibrary ?? isInNodeModules;
    this.frames = options.frames ?? 40;
  }

  onStart(span: Span, _parentContext: Context): void {
    if (!span.isRecording()) return;
    // The SDK's span is also a ReadableSpan: its name and start attributes can be read.
    const readable = span as Span & { name?: string; attributes?: Attributes };
    const attributes = readable.attributes ?? {};
    if (attributes['code.file.path'] !== undefined || !this.isLlmSpan(readable.name ?? '', attributes)) return;
    const site = captureCallSite(this.onStart, { frames: this.frames, isLibrary: this.isLibrary });
    if (site) span.setAttributes(callSiteAttributes(site));
  }

  onEnd(): void {}

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * `gen_ai.*` (OpenTelemetry, newer OpenLLMetry), `llm.*` (older OpenLLMetry,
 * OpenInference), an OpenInference LLM span kind, or a Vercel AI SDK model.
 */
function hasLlmAttributes(_name: string, attributes: Attributes): boolean {
  if (attributes['openinference.span.kind'] === 'LLM' || attributes['ai.model.id'] !== undefined) return true;
  return Object.keys(attributes).some((key) => key.startsWith('gen_ai.') || key.startsWith('llm.'));
}
