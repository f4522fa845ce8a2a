/**
 * Production traffic for the sample app (test/fixtures/sample-app), run as its
 * own process by test/vscode-e2e.test.ts against a deployed copy of the app:
 *
 *   node --import tsx sample-app-traffic.ts <deployed summarise.ts> <spanlens url> <calls> <latency ms>
 *
 * It registers an OpenTelemetry tracer provider that exports OTLP/HTTP
 * (protobuf) to Spanlens, as an instrumented app does, and calls the app's
 * `summarise` `calls` times at once with a fake OpenAI client: no network,
 * each completion answers after `latency ms` with 10,000 prompt and 1,000
 * completion tokens. The spans are the ones @spanlens/sdk makes inside the
 * app. A second, in-memory exporter keeps a copy of what was exported, which
 * is printed as JSON (name, attributes, duration) for the test to check.
 */
import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { pathToFileURL } from 'node:url';
import type { ChatClient, ChatCompletion } from '../fixtures/sample-app/src/summarise';

export interface ExportedSpan {
  name: string;
  attributes: Record<string, unknown>;
  durationMs: number;
}

const [appFile, spanlensUrl, callsArgument, latencyArgument] = process.argv.slice(2);
if (!appFile || !spanlensUrl || !callsArgument || !latencyArgument) {
  throw new Error('usage: sample-app-traffic.ts <summarise.ts> <spanlens url> <calls> <latency ms>');
}
const calls = Number(callsArgument);
const latencyMs = Number(latencyArgument);

const copy = new InMemorySpanExporter();
const provider = new TracerProvider({
  resource: resourceFromAttributes({ 'service.name': 'sample-app' }),
  spanProcessors: [
    new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: `${spanlensUrl}/v1/traces` }) }),
    new SimpleSpanProcessor({ exporter: copy }),
  ],
});
trace.setGlobalTracerProvider(provider);

/** An OpenAI-compatible client that answers every chat completion after `latencyMs`, as OpenAI's SDK shapes it. */
const openai: ChatClient = {
  chat: {
    completions: {
      create: (request) =>
        new Promise<ChatCompletion>((resolve) =>
          setTimeout(
            () =>
              resolve({
                id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
                model: `${request.model}-2024-07-18`,
                choices: [{ message: { content: 'A three-sentence summary.' }, finish_reason: 'stop' }],
                usage: { prompt_tokens: 10_000, completion_tokens: 1_000, total_tokens: 11_000 },
              }),
            latencyMs,
          ),
        ),
    },
  },
};

// Called as a plain function, as after `import { summarise }`: called as a
// method of the module namespace, V8 would name the frame `Module.summarise`.
const { summarise } = (await import(pathToFileURL(appFile).href)) as typeof import('../fixtures/sample-app/src/summarise');
await Promise.all(Array.from({ length: calls }, (_, i) => summarise(openai, `Article ${i + 1}: the quarterly report, in full.`)));
// The batch goes to Spanlens before the process exits; the test then reads what was stored.
await provider.forceFlush();
const exported: ExportedSpan[] = copy.getFinishedSpans().map((span) => ({
  name: span.name,
  attributes: { ...span.attributes },
  durationMs: span.duration[0] * 1000 + span.duration[1] / 1e6,
}));
await provider.shutdown();
process.stdout.write(`${JSON.stringify(exported)}\n`);
