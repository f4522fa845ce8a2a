import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { redactionCorpus } from '../collector/src/redaction/redaction-corpus';
import { kafkaSetup, metricValue, startCollector, storeDump } from './support/distributed';
import { testKafkaBrokers } from './support/kafka-broker';
import { newTraceId, otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './support/otlp-json';
import { killedAfterEach, startSpanlensProcess, tempDataDir } from './support/spanlens-process';

const track = killedAfterEach();
const positives = redactionCorpus.filter((item) => item.secret !== undefined);
const negatives = redactionCorpus.filter((item) => item.secret === undefined);

/** One LLM span per corpus text: in an attribute and in the span name. */
function corpusRequest(feature: string): { request: unknown; traceIds: string[] } {
  const now = Date.now();
  const traceIds: string[] = [];
  const spans: JsonSpanInput[] = redactionCorpus.map((item, i) => {
    const traceId = newTraceId();
    traceIds.push(traceId);
    return {
      traceId,
      startMs: now - 60_000 + i,
      name: `chat ${item.text}`,
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 2,
        'spanlens.feature': feature,
        'app.note': item.text,
        // Content: dropped unless capture is on, then redacted like the rest.
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: item.text }] }]),
      },
    };
  });
  return { request: otlpJsonRequest(spans, 'redaction-test'), traceIds };
}

function expectNoSecrets(where: string, text: string): void {
  const leaked = positives.filter((item) => text.includes(item.secret!)).map((item) => `${item.type}: ${item.secret}`);
  expect(leaked, `found in ${where}`).toEqual([]);
}

describe('PII redaction before storage', () => {
  it('stores no value of the positive corpus in any table or log line, keeps the near misses, and counts redactions by type', async () => {
    const dataDir = tempDataDir();
    const spanlens = await track(startSpanlensProcess({ dataDir, env: { SPANLENS_LOG_LEVEL: 'debug' } }));
    const { request, traceIds } = corpusRequest('redaction');
    expect((await postOtlpJson(spanlens.url, request)).status).toBe(200);
    const feedback = redactionCorpus.map((item, i) => ({ trace_id: traceIds[i], score: 1, comment: item.text }));
    expect((await fetch(`${spanlens.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(feedback) })).status).toBe(200);

    // Each positive text sits in the span name, an attribute and a feedback comment: three redactions.
    for (const type of new Set(positives.map((item) => item.type))) {
      expect(await metricValue(spanlens.url, 'spanlens_redactions_total', { type }), type).toBe(3 * positives.filter((item) => item.type === type).length);
    }
    expect(await spanlens.interrupt()).toBe(0);

    // ClickHouse's JSON escapes '/' as '\\/'.
    const dump = (await storeDump(dataDir, 'spanlens')).replaceAll('\\/', '/');
    expect(dump).toContain('[EMAIL]');
    expectNoSecrets('ClickHouse', dump);
    expectNoSecrets('the log', spanlens.log());
    for (const item of negatives) expect(dump, item.text).toContain(JSON.stringify(item.text).slice(1, -1));
  }, 120_000);

  it('with content capture on, stores prompts and completions with every value of the positive corpus redacted', async () => {
    const dataDir = tempDataDir();
    const spanlens = await track(startSpanlensProcess({ dataDir, env: { SPANLENS_CAPTURE_CONTENT: 'true' } }));
    const now = Date.now();
    const spans: JsonSpanInput[] = redactionCorpus.map((item, i) => ({
      startMs: now - 60_000 + i,
      attributes: {
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 2,
        'spanlens.feature': 'captured',
        'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: `Please help. ${item.text}` }] }]),
        'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: `Noted: ${item.text}` }] }]),
      },
    }));
    expect((await postOtlpJson(spanlens.url, otlpJsonRequest(spans))).status).toBe(200);
    expect(await spanlens.interrupt()).toBe(0);
    // ClickHouse's JSON escapes '/' as '\\/'.
    const dump = (await storeDump(dataDir, 'spanlens')).replaceAll('\\/', '/');
    expectNoSecrets('captured content', dump);
    // The text is there, as the model read it, with placeholders where the values were.
    expect(dump).toContain(JSON.stringify('Please help. Reply to [EMAIL] before Friday').slice(1, -1));
    expect(dump).toContain(JSON.stringify('Noted: card [CARD] exp 12/29').slice(1, -1));
    for (const item of negatives) expect(dump, item.text).toContain(JSON.stringify(`Please help. ${item.text}`).slice(1, -1));
  }, 120_000);

  it('publishes no value of the positive corpus to Kafka, captured content included', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'redaction');
    const collector = await track(startCollector(kafka, { SPANLENS_LOG_LEVEL: 'debug', SPANLENS_CAPTURE_CONTENT: 'true' }));
    const { request } = corpusRequest('redaction-kafka');
    expect((await postOtlpJson(collector.url, request)).status).toBe(200);

    const consumer = new Kafka({ clientId: 'redaction-test', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: `${kafka.group}-reader` });
    await consumer.connect();
    await consumer.subscribe({ topic: kafka.spansTopic, fromBeginning: true });
    const messages: string[] = [];
    await consumer.run({ eachMessage: async ({ message }) => void messages.push(message.value?.toString('utf8') ?? '') });
    const deadline = Date.now() + 30_000;
    while (messages.length < redactionCorpus.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await consumer.disconnect();
    expect(messages).toHaveLength(redactionCorpus.length);
    const published = messages.join('\n');
    expect(published).toContain('[CARD]');
    expect(published).toContain('"prompt_text":"Reply to [EMAIL] before Friday"');
    expectNoSecrets('Kafka messages', published);
    expectNoSecrets('the collector log', collector.log());
  }, 120_000);
});
