import { SeededRandom } from './random';
import { attr, type ProtoKeyValue, type ProtoSpan } from './otlp-proto';

/**
 * The vocabulary of the synthetic application fleet: what a mid-sized product
 * with a handful of LLM-backed services sends. Weights are call shares.
 */
export interface ModelProfile {
  provider: string;
  /** The pre-1.37 `gen_ai.system` value, for services on older instrumentations. */
  oldSystem: string;
  requestModel: string;
  responseModel: string;
  weight: number;
  scope: string;
  /** How this provider reports prompt caching. */
  cache: 'openai' | 'anthropic' | 'gemini' | 'none';
  /** Median output-token throughput, tokens per second. */
  tokensPerSecond: number;
}

export const MODELS: readonly ModelProfile[] = [
  { provider: 'openai', oldSystem: 'openai', requestModel: 'gpt-4o', responseModel: 'gpt-4o-2024-08-06', weight: 20, scope: 'opentelemetry.instrumentation.openai', cache: 'openai', tokensPerSecond: 90 },
  { provider: 'openai', oldSystem: 'openai', requestModel: 'gpt-4o-mini', responseModel: 'gpt-4o-mini-2024-07-18', weight: 35, scope: 'opentelemetry.instrumentation.openai', cache: 'openai', tokensPerSecond: 140 },
  { provider: 'anthropic', oldSystem: 'anthropic', requestModel: 'claude-sonnet-4-20250514', responseModel: 'claude-sonnet-4-20250514', weight: 15, scope: 'opentelemetry.instrumentation.anthropic', cache: 'anthropic', tokensPerSecond: 70 },
  { provider: 'anthropic', oldSystem: 'anthropic', requestModel: 'claude-3-5-haiku-latest', responseModel: 'claude-3-5-haiku-20241022', weight: 12, scope: 'opentelemetry.instrumentation.anthropic', cache: 'anthropic', tokensPerSecond: 120 },
  { provider: 'gcp.gemini', oldSystem: 'gemini', requestModel: 'gemini-2.0-flash', responseModel: 'gemini-2.0-flash', weight: 13, scope: 'opentelemetry.instrumentation.google_genai', cache: 'gemini', tokensPerSecond: 160 },
  // A fine-tuned model served in-house: no catalogue price, stored as unpriced.
  { provider: 'vllm', oldSystem: 'vllm', requestModel: 'llama-3.1-8b-support-ft', responseModel: 'llama-3.1-8b-support-ft', weight: 5, scope: 'opentelemetry.instrumentation.openai', cache: 'none', tokensPerSecond: 200 },
];

export const FEATURES: readonly string[] = [
  'support-chat', 'ticket-summary', 'search-rerank', 'email-draft', 'code-review',
  'doc-qa', 'sql-assistant', 'onboarding-tips', 'translate', 'classify-intent',
  'extract-invoice', 'agent-plan', 'agent-act', 'moderation', 'product-descriptions',
  'meeting-notes', 'sentiment', 'recommendations', 'faq-bot', 'release-notes',
];

export const SERVICES: readonly { name: string; version: string; language: string }[] = [
  { name: 'support-api', version: '2.14.1', language: 'nodejs' },
  { name: 'search-service', version: '1.8.0', language: 'nodejs' },
  { name: 'docs-assistant', version: '0.31.2', language: 'nodejs' },
  { name: 'billing-worker', version: '3.2.7', language: 'nodejs' },
  { name: 'agent-runtime', version: '0.9.12', language: 'nodejs' },
  { name: 'content-studio', version: '1.22.0', language: 'nodejs' },
];

export const USER_COUNT = 500;
export const PROMPT_COUNT = 30;
export const CALL_SITE_COUNT = 50;

export interface CallSite {
  service: number;
  feature: string;
  promptId: string;
  /** The version in production; a share of calls still runs the previous one. */
  promptVersion: number;
  file: string;
  line: number;
  fn: string;
  models: readonly ModelProfile[];
  modelWeights: readonly number[];
}

const FILE_AREAS = ['chat', 'search', 'docs', 'billing', 'agent', 'content'];
const FUNCTION_VERBS = ['answer', 'summarise', 'rank', 'draft', 'review', 'plan', 'extract', 'classify', 'translate', 'suggest'];

/** Fifty call sites, each a fixed (service, feature, prompt, file:line) with its own model mix. */
export function buildCallSites(random: SeededRandom): CallSite[] {
  return Array.from({ length: CALL_SITE_COUNT }, (_, i) => {
    const service = i % SERVICES.length;
    const verb = FUNCTION_VERBS[i % FUNCTION_VERBS.length]!;
    const promptIndex = i % PROMPT_COUNT;
    // Most call sites use one or two models; the weights skew toward the usual fleet mix.
    const first = random.weighted(MODELS, MODELS.map((m) => m.weight));
    const second = random.weighted(MODELS, MODELS.map((m) => m.weight));
    return {
      service,
      feature: FEATURES[(i * 7) % FEATURES.length]!,
      promptId: `${FEATURES[promptIndex % FEATURES.length]}-${['system', 'answer', 'rewrite'][promptIndex % 3]}`,
      promptVersion: 1 + (promptIndex % 5),
      file: `src/${FILE_AREAS[service]}/${verb}-${i}.ts`,
      line: 20 + ((i * 37) % 400),
      fn: `${verb}${String(i)}`,
      models: first === second ? [first] : [first, second],
      modelWeights: first === second ? [1] : [0.7, 0.3],
    };
  });
}

export const USERS: readonly string[] = Array.from({ length: USER_COUNT }, (_, i) => `user-${String(i).padStart(5, '0')}`);

export interface LlmCall {
  site: CallSite;
  model: ModelProfile;
  user: string;
  session: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  durationNs: bigint;
  error: string | undefined;
  finishReason: string;
  promptVersion: number;
  temperature: number;
  maxTokens: number;
  responseId: string;
}

/** One LLM call with realistic token counts, prompt caching, duration and a rare error. */
export function drawCall(random: SeededRandom, site: CallSite, user: string, session: string): LlmCall {
  const model = random.weighted(site.models, site.modelWeights);
  const inputTokens = random.logNormal(1400, 0.9, 12, 180_000);
  const error = random.chance(0.01) ? random.pick(['rate_limit_exceeded', 'timeout', 'context_length_exceeded', 'server_error']) : undefined;
  const outputTokens = error ? 0 : random.logNormal(260, 0.8, 1, 8_000);
  let cacheReadTokens = 0;
  let cacheWriteTokens = 0;
  if (model.cache === 'openai' && inputTokens >= 1024 && random.chance(0.45)) {
    // OpenAI caches in 128-token steps past the first 1,024 tokens; the count is part of the input.
    cacheReadTokens = 1024 + 128 * Math.floor((inputTokens - 1024) * random.next() / 128);
  } else if (model.cache === 'anthropic') {
    // Anthropic reports cached tokens apart from input_tokens.
    if (random.chance(0.4)) cacheReadTokens = random.logNormal(3000, 0.6, 1024, 60_000);
    else if (random.chance(0.1)) cacheWriteTokens = random.logNormal(3000, 0.6, 1024, 60_000);
  } else if (model.cache === 'gemini' && inputTokens >= 2048 && random.chance(0.2)) {
    cacheReadTokens = Math.floor(inputTokens * (0.3 + 0.6 * random.next()));
  }
  const generationMs = (outputTokens / model.tokensPerSecond) * 1000;
  const durationMs = error === 'timeout' ? 30_000 : 250 + generationMs * (0.7 + 0.6 * random.next());
  return {
    site,
    model,
    user,
    session,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    durationNs: BigInt(Math.round(durationMs * 1e6)),
    error,
    finishReason: error ? 'error' : outputTokens >= 4000 ? 'length' : random.chance(0.08) ? 'tool_calls' : 'stop',
    promptVersion: random.chance(0.2) && site.promptVersion > 1 ? site.promptVersion - 1 : site.promptVersion,
    temperature: random.pick([0, 0.2, 0.3, 0.7, 1]),
    maxTokens: random.pick([512, 1024, 2048, 4096]),
    responseId: `resp_${random.bytes(12).toString('hex')}`,
  };
}

/**
 * The attributes an instrumentation following the GenAI semantic conventions
 * writes; `deprecatedNames` gives the pre-1.37 spelling older SDKs still send.
 */
export function llmAttributes(call: LlmCall, deprecatedNames: boolean): ProtoKeyValue[] {
  const m = call.model;
  const list: ProtoKeyValue[] = [
    deprecatedNames ? attr.str('gen_ai.system', m.oldSystem) : attr.str('gen_ai.provider.name', m.provider),
    attr.str('gen_ai.operation.name', 'chat'),
    attr.str('gen_ai.request.model', m.requestModel),
    attr.double('gen_ai.request.temperature', call.temperature),
    attr.int('gen_ai.request.max_tokens', call.maxTokens),
    attr.str('gen_ai.conversation.id', call.session),
    attr.str('spanlens.feature', call.site.feature),
    attr.str('user.id', call.user),
    attr.str('spanlens.prompt.id', call.site.promptId),
    attr.str('spanlens.prompt.version', String(call.promptVersion)),
    attr.str(deprecatedNames ? 'code.filepath' : 'code.file.path', call.site.file),
    attr.int(deprecatedNames ? 'code.lineno' : 'code.line.number', call.site.line),
    attr.str(deprecatedNames ? 'code.function' : 'code.function.name', call.site.fn),
    attr.str('server.address', 'llm-gateway.internal'),
    attr.int('server.port', 443),
  ];
  if (call.error) {
    list.push(attr.str('error.type', call.error));
    return list;
  }
  list.push(
    attr.str('gen_ai.response.model', m.responseModel),
    attr.str('gen_ai.response.id', call.responseId),
    attr.strings('gen_ai.response.finish_reasons', [call.finishReason]),
    attr.int(deprecatedNames ? 'gen_ai.usage.prompt_tokens' : 'gen_ai.usage.input_tokens', call.inputTokens),
    attr.int(deprecatedNames ? 'gen_ai.usage.completion_tokens' : 'gen_ai.usage.output_tokens', call.outputTokens),
  );
  if (call.cacheReadTokens > 0) list.push(attr.int('gen_ai.usage.cache_read.input_tokens', call.cacheReadTokens));
  if (call.cacheWriteTokens > 0) list.push(attr.int('gen_ai.usage.cache_creation.input_tokens', call.cacheWriteTokens));
  return list;
}

export function resourceAttributes(service: (typeof SERVICES)[number], instance: string): ProtoKeyValue[] {
  return [
    attr.str('service.name', service.name),
    attr.str('service.version', service.version),
    attr.str('service.instance.id', instance),
    attr.str('deployment.environment.name', 'production'),
    attr.str('telemetry.sdk.name', 'opentelemetry'),
    attr.str('telemetry.sdk.language', service.language),
    attr.str('telemetry.sdk.version', '1.30.1'),
    attr.str('host.name', `ip-10-0-${instance.length}-${instance.charCodeAt(0)}`),
    attr.str('process.runtime.name', 'nodejs'),
    attr.str('process.runtime.version', '20.19.0'),
  ];
}

/** The HTTP server span a request handler wraps its LLM calls in: received, not stored. */
export function httpServerSpan(random: SeededRandom, site: CallSite): Omit<ProtoSpan, 'traceId' | 'spanId' | 'startTimeUnixNano' | 'endTimeUnixNano'> {
  const route = `/api/${site.feature}`;
  return {
    name: `POST ${route}`,
    kind: 2,
    attributes: [
      attr.str('http.request.method', 'POST'),
      attr.str('http.route', route),
      attr.str('url.path', route),
      attr.str('url.scheme', 'https'),
      attr.int('http.response.status_code', 200),
      attr.str('network.protocol.version', '1.1'),
      attr.str('user_agent.original', random.pick(['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5)', 'okhttp/4.12.0', 'python-requests/2.32.3'])),
    ],
    status: { code: 0 },
  };
}
