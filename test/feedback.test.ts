import { afterEach, describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { feedbackCensus, kafkaSetup, metricValue, startCollector, startIngestWorker, startStoreOwner } from './support/distributed';
import { testKafkaBrokers } from './support/kafka-broker';
import { newSpanId, newTraceId, otlpJsonRequest, postOtlpJson } from './support/otlp-json';
import { killedAfterEach, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

const track = killedAfterEach();

const postFeedback = (url: string, body: unknown, contentType = 'application/json') =>
  fetch(`${url}/v1/feedback`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

/** Three users' feedback on one call, then user 1 changes their mind and the client retries. */
async function sendFeedbackStory(url: string, traceId: string, spanId: string) {
  const first = await postFeedback(url, [
    { trace_id: traceId, span_id: spanId, user_id: 'u1', score: 1 },
    { trace_id: traceId, span_id: spanId, user_id: 'u2', score: -1, comment: 'made up a refund policy' },
    { trace_id: traceId, score: 0.8 },
  ]);
  expect(first.status).toBe(200);
  expect(await first.json()).toEqual({ accepted: 3 });
  const changed = { trace_id: traceId, span_id: spanId, user_id: 'u1', score: -1 };
  expect((await postFeedback(url, changed)).status).toBe(200);
  expect((await postFeedback(url, changed)).status).toBe(200);
}

const expectedStory = (spanId: string) => [
  { feedback_id: expect.any(String), span_id: '', user_id: '', score: 0.8, comment: '' },
  { feedback_id: expect.any(String), span_id: spanId, user_id: 'u1', score: -1, comment: '' },
  { feedback_id: expect.any(String), span_id: spanId, user_id: 'u2', score: -1, comment: 'made up a refund policy' },
];

describe('POST /v1/feedback', () => {
  it('stores votes and ratings once each, a changed vote replacing the old one, and refuses bad input naming the field', async () => {
    const dataDir = tempDataDir();
    const spanlens = await track(startSpanlensProcess({ dataDir }));
    const traceId = newTraceId();
    const spanId = newSpanId();
    await sendFeedbackStory(spanlens.url, traceId, spanId);

    const bad = await postFeedback(spanlens.url, [{ trace_id: traceId, score: 1 }, { trace_id: traceId, score: 5 }]);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid_feedback', message: '[1].score: expected 1 (thumbs up), -1 (thumbs down) or a rating between 0 and 1' });
    const notJson = await postFeedback(spanlens.url, '{"trace_id":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/^body is not JSON/);
    expect((await postFeedback(spanlens.url, 'score=1', 'application/x-www-form-urlencoded')).status).toBe(415);

    expect(await spanlens.interrupt()).toBe(0);
    // Nothing of the refused requests was stored: the good first item of the bad array included.
    expect(await feedbackCensus(dataDir, 'spanlens', traceId)).toEqual(expectedStory(spanId));
  });

  it('takes gen_ai.evaluation.result span events as feedback from their evaluator', async () => {
    const dataDir = tempDataDir();
    const spanlens = await track(startSpanlensProcess({ dataDir }));
    const traceId = newTraceId();
    const spanId = newSpanId();
    const evaluatedAt = Date.now() - 60_000;
    const request = otlpJsonRequest([
      {
        traceId,
        spanId,
        startMs: evaluatedAt - 2_000,
        attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5 },
        events: [
          { name: 'gen_ai.evaluation.result', timeMs: evaluatedAt, attributes: { 'gen_ai.evaluation.name': 'Relevance', 'gen_ai.evaluation.score.value': 0.25 } },
          { name: 'gen_ai.evaluation.result', timeMs: evaluatedAt, attributes: { 'gen_ai.evaluation.name': 'Groundedness', 'gen_ai.evaluation.score.label': 'pass', 'gen_ai.evaluation.explanation': 'cites the policy' } },
        ],
      },
    ]);
    expect((await postOtlpJson(spanlens.url, request)).status).toBe(200);
    // The exporter retries the same request: no vote is repeated.
    expect((await postOtlpJson(spanlens.url, request)).status).toBe(200);
    expect(await spanlens.interrupt()).toBe(0);
    expect(await feedbackCensus(dataDir, 'spanlens', traceId)).toEqual([
      { feedback_id: `eval:${spanId}:Groundedness:${BigInt(evaluatedAt) * 1_000_000n}`, span_id: spanId, user_id: 'evaluator:Groundedness', score: 1, comment: 'cites the policy' },
      { feedback_id: `eval:${spanId}:Relevance:${BigInt(evaluatedAt) * 1_000_000n}`, span_id: spanId, user_id: 'evaluator:Relevance', score: 0.25, comment: '' },
    ]);
  });

  it('goes through its own Kafka topic, keyed by trace id, to the store in the distributed mode', async () => {
    const kafka = kafkaSetup(testKafkaBrokers(), 'feedback');
    const dataDir = tempDataDir();
    const owner = await track(startStoreOwner({ dataDir, database: 'feedback' }));
    const collector = await track(startCollector(kafka));
    const worker = await track(startIngestWorker(kafka, owner.url));
    const traceId = newTraceId();
    const spanId = newSpanId();
    await sendFeedbackStory(collector.url, traceId, spanId);

    // Five messages on the feedback topic, each keyed by the trace id and versioned.
    const client = new Kafka({ brokers: kafka.brokers, logLevel: logLevel.NOTHING });
    const admin = client.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(kafka.env.SPANLENS_KAFKA_TOPIC_FEEDBACK as string);
    await admin.disconnect();
    expect(offsets.reduce((sum, partition) => sum + Number(partition.high), 0)).toBe(5);

    await expect.poll(() => metricValue(worker.url, 'spanlens_kafka_consumed_feedback_total'), { timeout: 30_000, interval: 200 }).toBe(5);
    expect(await owner.interrupt()).toBe(0);
    expect(await feedbackCensus(dataDir, 'feedback', traceId)).toEqual(expectedStory(spanId));
  });
});
