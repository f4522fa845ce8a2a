import { newSpanId, newTraceId, otlpJsonRequest, type AttrValue, type JsonSpanInput } from './otlp-json';

/**
 * The calls the dashboard test sends, with what each should cost worked out
 * here from the test's own price table, independently of the server's
 * pricer. Models: two custom-priced ones and one without a price.
 */
export interface GeneratedCall {
  traceId: string;
  spanId: string;
  startMs: number;
  durationMs: number;
  feature: string;
  model: string;
  provider: string;
  user: string;
  plan: string;
  prompt: string;
  version: string;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  ttftMs: number | null;
  error: boolean;
  /** Null for the unpriced model. */
  costUsd: number | null;
}

/** USD per million tokens; kept in step with dashboardConfigYaml. */
export const testPrices: Record<string, { input: number; output: number }> = {
  'acme-large': { input: 2, output: 6 },
  'acme-small': { input: 0.5, output: 1.5 },
};

/** The test's config: the prices above, revenue and plans, drift on small samples, alerts every second to a webhook. */
export function dashboardConfigYaml(webhookUrl: string): string {
  return [
    'pricing:',
    '  models:',
    '    - { model: acme-large, input_per_mtok: 2, output_per_mtok: 6 }',
    '    - { model: acme-small, input_per_mtok: 0.5, output_per_mtok: 1.5 }',
    '    - { model: gold-model, per_call_usd: 12 }',
    'jobs:',
    '  enabled: false',
    'drift:',
    '  min_samples: 20',
    'finance:',
    '  features:',
    '    - { feature: search, monthly_revenue_usd: 3000 }',
    '    - { feature: chat, monthly_revenue_usd: 500 }',
    '  plans:',
    '    - { plan: pro, monthly_price_usd: 49 }',
    '    - { plan: free, monthly_price_usd: 0 }',
    'alerts:',
    '  evaluation_interval_ms: 1000',
    '  channels:',
    `    audit: { type: webhook, url: "${webhookUrl}/hook" }`,
  ].join('\n');
}

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Calls over the 8 days before `now`: 160 in the current drift window (the
 * last 24 h, kept an hour away from its edges) and 480 in the 7 days before
 * it, none within two hours of `now − 7 d` so that a 7-day range taken a
 * little later holds the same calls. Search latency doubles in the current
 * window: drift for the drift page.
 */
export function generateCalls(now: number, seed = 7): GeneratedCall[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const calls: GeneratedCall[] = [];
  const make = (startMs: number, current: boolean) => {
    const feature = pick(['search', 'search', 'chat', 'summarize']);
    const model = next() < 0.06 ? 'home-llm' : feature === 'search' ? 'acme-large' : pick(['acme-large', 'acme-small']);
    const user = `user-${1 + Math.floor(next() * 12)}`;
    const inputTokens = 200 + Math.floor(next() * 1800);
    const outputTokens = 20 + Math.floor(next() * 400);
    const cacheReadTokens = next() < 0.3 ? Math.floor(inputTokens / 2) : 0;
    const slow = current && feature === 'search' ? 2 : 1;
    const durationMs = Math.round((300 + next() * 2500) * slow);
    const price = testPrices[model];
    calls.push({
      traceId: newTraceId(),
      spanId: newSpanId(),
      startMs,
      durationMs,
      feature,
      model,
      provider: model === 'home-llm' ? 'self-hosted' : 'acme',
      user,
      plan: Number(user.slice(5)) % 3 === 0 ? 'pro' : 'free',
      prompt: feature === 'chat' ? 'answer' : feature === 'search' ? 'rank' : '',
      version: feature === 'chat' ? pick(['1', '2']) : feature === 'search' ? '3' : '',
      inputTokens,
      outputTokens,
      cacheReadTokens,
      ttftMs: feature === 'chat' ? Math.round(100 + next() * 400) : null,
      error: next() < 0.05,
      costUsd: price ? (inputTokens * price.input + outputTokens * price.output) / 1e6 : null,
    });
  };
  for (let i = 0; i < 160; i++) make(now - 23 * HOUR + Math.floor(next() * 22 * HOUR), true);
  for (let i = 0; i < 480; i++) {
    let start = now - 8 * DAY + HOUR + Math.floor(next() * (7 * DAY - 2 * HOUR));
    if (Math.abs(start - (now - 7 * DAY)) < 2 * HOUR) start += 4 * HOUR;
    make(start, false);
  }
  // One $12 call half a minute ago trips the shipped expensive-call rule (over $10 within 5 minutes).
  calls.push({
    traceId: newTraceId(), spanId: newSpanId(), startMs: now - 30_000, durationMs: 900, feature: 'vip', model: 'gold-model', provider: 'acme', user: 'user-1', plan: 'free',
    prompt: '', version: '', inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, ttftMs: null, error: false, costUsd: 12,
  });
  return calls;
}

/** The calls as OTLP/JSON requests of `perRequest` spans, failed calls with an ERROR status. */
export function callsAsRequests(calls: GeneratedCall[], perRequest = 200): unknown[] {
  const requests: unknown[] = [];
  for (let i = 0; i < calls.length; i += perRequest) {
    const chunk = calls.slice(i, i + perRequest);
    const spans: JsonSpanInput[] = chunk.map((call) => {
      const attributes: Record<string, AttrValue> = {
        'gen_ai.provider.name': call.provider,
        'gen_ai.request.model': call.model,
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': call.inputTokens,
        'gen_ai.usage.output_tokens': call.outputTokens,
        'gen_ai.usage.cache_read.input_tokens': call.cacheReadTokens,
        'spanlens.feature': call.feature,
        'user.id': call.user,
        'user.plan': call.plan,
      };
      if (call.prompt) {
        attributes['spanlens.prompt.id'] = call.prompt;
        attributes['spanlens.prompt.version'] = call.version;
        attributes['code.file.path'] = `/srv/app/src/${call.prompt}.ts`;
        attributes['code.line.number'] = call.prompt === 'answer' ? 42 : 17;
      }
      if (call.ttftMs !== null) attributes['gen_ai.server.time_to_first_token'] = call.ttftMs / 1000;
      return { traceId: call.traceId, spanId: call.spanId, startMs: call.startMs, durationMs: call.durationMs, attributes };
    });
    const request = otlpJsonRequest(spans, 'dashboard-test') as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ status: unknown }> }> }> };
    request.resourceSpans[0]!.scopeSpans[0]!.spans.forEach((span, k) => {
      if (chunk[k]!.error) span.status = { code: 2, message: 'rate limited' };
    });
    requests.push(request);
  }
  return requests;
}

/** Exact quantile as ClickHouse's quantileExact takes it: the value at index floor(q·n) of the sorted sample. */
export function quantileExact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** The exact quantiles at q - band and q + band (clamped): where an estimate of the q-quantile with that rank error lies. */
export function quantileRankBounds(values: number[], q: number, band: number): [number, number] {
  return [quantileExact(values, Math.max(0, q - band)), quantileExact(values, Math.min(1, q + band))];
}
