import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, insertSpans, loadConfig, type LlmSpan } from '@spanlens/core';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { createSeededRandom } from '../stats/seeded-random';
import { driftJob } from './drift-job';
import { readDrift } from './read-drift';

// Captured content expires after 30 days (a column TTL), so this test's calls are recent.
const END = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
const HOUR = 3_600_000;
const config = loadConfig({ env: {}, cwd: '/nonexistent' });
const words = ['invoice', 'refund', 'delivery', 'password', 'login', 'order', 'late', 'broken', 'charge', 'account', 'address', 'plan', 'upgrade', 'cancel', 'email'];

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('drift_content');
  const random = createSeededRandom(11);
  const some = (n: number) => Array.from({ length: n }, () => words[Math.floor(random.uniform() * words.length)]).join(' ');
  const summarise = () => `Summarise the support ticket below in two sentences.\nTicket: ${some(8)}`;
  const classify = () => `You are a billing assistant. Classify the refund request and answer with a JSON object holding amount, currency and reason.\nRequest: ${some(8)}`;
  const spans: LlmSpan[] = [];
  const calls = (promptId: string, count: number, fromHours: number, toHours: number, prompt: () => string, answerWords: number) => {
    for (let i = 0; i < count; i++) {
      const at = new Date(END.getTime() - fromHours * HOUR + ((fromHours - toHours) * HOUR * i) / count);
      spans.push(spanAt(at, { feature: promptId, prompt_id: promptId, input_tokens: 100, output_tokens: 30, duration_ms: 800, cost_usd: 0.001, prompt_text: prompt(), completion_text: some(answerWords) }));
    }
  };
  // The same template and answers in both windows.
  calls('answer', 300, 24 * 8, 24, summarise, 10);
  calls('answer', 300, 24, 0, summarise, 10);
  // The template was replaced and answers grew.
  calls('triage', 300, 24 * 8, 24, summarise, 10);
  calls('triage', 300, 24, 0, classify, 40);
  await insertSpans(store.client, store.database, spans);
});
afterAll(async () => {
  await store.close();
});

describe('the drift job with captured content', () => {
  it('flags prompt and response length and the prompt text of the prompt whose template changed, and nothing of the other', async () => {
    await driftJob.run({ client: store.client, database: store.database, config, logger: createLogger({ level: 'silent' }), window: driftJob.window(END, config) });
    const report = await readDrift(store.client, store.database);
    const ofPrompts = report.tests.filter((test) => test.subject_kind === 'prompt');
    // Per prompt: input, output tokens, latency, cost, prompt and response length, prompt text.
    expect(ofPrompts.filter((test) => test.subject === 'answer').map((test) => test.metric).sort()).toEqual(['cost_per_call_usd', 'input_tokens', 'latency_ms', 'output_tokens', 'prompt_chars', 'prompt_text', 'response_chars']);
    const drifted = report.tests.filter((test) => test.drifted).map((test) => `${test.subject_kind}:${test.subject}:${test.metric}`).sort();
    expect(drifted).toEqual([
      'feature:triage:prompt_chars', 'feature:triage:prompt_text', 'feature:triage:response_chars',
      'prompt:triage:prompt_chars', 'prompt:triage:prompt_text', 'prompt:triage:response_chars',
    ]);
    // Every prompt of the new template is longer than any of the old one (about 150 characters against 100): D = 1.
    expect(ofPrompts.find((test) => test.subject === 'triage' && test.metric === 'prompt_chars')).toMatchObject({ d: 1, n_current: 300, n_reference: 300 });
    const text = ofPrompts.find((test) => test.subject === 'triage' && test.metric === 'prompt_text')!;
    expect(text.method).toBe('text-embedding');
    expect(text.d).toBeGreaterThan(0.1);
    const stable = ofPrompts.find((test) => test.subject === 'answer' && test.metric === 'prompt_text')!;
    expect(stable.d).toBeLessThanOrEqual(0.1);
  });
});
