import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Tracer } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { lineOfMarker } from './fixtures/tracing';
import { CallSiteSpanProcessor, traceLlmCall } from './index';

/**
 * An instrumented LLM SDK installed under node_modules, as OpenLLMetry's and
 * OpenInference's instrumentations are: the patched method starts a span with
 * its attributes, then awaits the network.
 */
const instrumentedSdkSource = `
export function createClient(tracer) {
  const patched = (attributes) => async function create(request) {
    const span = tracer.startSpan('openai.chat', { attributes: { ...attributes, 'llm.request.model': request.model } });
    await new Promise((resolve) => setTimeout(resolve, 1));
    span.end();
    return { object: 'chat.completion', model: request.model, choices: [] };
  };
  return {
    openLlmetry: patched({ 'gen_ai.system': 'OpenAI', 'llm.request.type': 'chat' }),
    openInference: patched({ 'openinference.span.kind': 'LLM', 'llm.model_name': 'gpt-4o' }),
    http: async function fetchSomething() {
      tracer.startSpan('GET /health', { attributes: { 'http.request.method': 'GET' } }).end();
    },
  };
}
`;

interface InstrumentedClient {
  openLlmetry(request: { model: string }): Promise<unknown>;
  openInference(request: { model: string }): Promise<unknown>;
  http(): Promise<void>;
}

const thisFile = fileURLToPath(import.meta.url);
const exporter = new InMemorySpanExporter();
const provider = new TracerProvider({ spanProcessors: [new CallSiteSpanProcessor(), new SimpleSpanProcessor({ exporter })] });
const tracer: Tracer = provider.getTracer('instrumentation');
let client: InstrumentedClient;

beforeAll(async () => {
  const packageDir = join(mkdtempSync(join(tmpdir(), 'spanlens-sdk-')), 'node_modules', 'fake-instrumented-openai');
  mkdirSync(packageDir, { recursive: true });
  writeFileSync(join(packageDir, 'index.mjs'), instrumentedSdkSource);
  const module = (await import(/* @vite-ignore */ pathToFileURL(join(packageDir, 'index.mjs')).href)) as { createClient(tracer: Tracer): InstrumentedClient };
  client = module.createClient(tracer);
});
beforeEach(() => exporter.reset());

/** The line holding `@site:<marker>`, found in this file's text. */
const markerLine = (marker: string): number => lineOfMarker(thisFile, `@site:${marker}`);
const codeOf = (attributes: Record<string, unknown>) => ({
  'code.file.path': attributes['code.file.path'],
  'code.line.number': attributes['code.line.number'],
  'code.function.name': attributes['code.function.name'],
});

async function draftReply(): Promise<void> {
  await client.openLlmetry({ model: 'gpt-4o' }); // @site:openllmetry
  await client.openInference({ model: 'gpt-4o' }); // @site:openinference
}

describe('CallSiteSpanProcessor', () => {
  it('gives spans of OpenLLMetry and OpenInference the first application frame past node_modules', async () => {
    await draftReply();
    const site = (marker: string) => ({ 'code.file.path': thisFile, 'code.line.number': markerLine(marker), 'code.function.name': 'draftReply' });
    expect(exporter.getFinishedSpans().map((span) => codeOf(span.attributes))).toEqual([site('openllmetry'), site('openinference')]);
  });

  it('leaves spans that are not LLM calls alone', async () => {
    await client.http();
    expect(codeOf(exporter.getFinishedSpans()[0]!.attributes)).toEqual({ 'code.file.path': undefined, 'code.line.number': undefined, 'code.function.name': undefined });
  });

  it("keeps traceLlmCall's own call site", async () => {
    await traceLlmCall({ tracer, model: 'gpt-4o' }, async () => ({})); // @site:helper
    expect(exporter.getFinishedSpans()[0]!.attributes['code.line.number']).toBe(markerLine('helper'));
  });
});
