import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, insertSpans, loadConfig, type LlmSpan } from '@spanlens/core';
import { openTestStore, spanAt, type TestStore } from '../rollup/test-store';
import { digestJob } from './digest-job';
import { readDigest } from './read-digest';

const DAY = Date.parse('2026-11-20T00:00:00Z');
const HOUR = 3_600_000;
const config = loadConfig({ env: {}, cwd: '/nonexistent' });

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('digest_test');
  const spans: LlmSpan[] = [];
  // 7 days before: search at $0.02 a call, 100 calls a day, gpt-4o without errors.
  for (let d = 1; d <= 7; d++) {
    for (let i = 0; i < 100; i++) spans.push(spanAt(new Date(DAY - d * 24 * HOUR + i * 60_000), { feature: 'search', model: 'gpt-4o', cost_usd: 0.02 }));
  }
  // The day: $0.03 a call and 10 errors in 100 calls.
  for (let i = 0; i < 100; i++) spans.push(spanAt(new Date(DAY + i * 60_000), { feature: 'search', model: 'gpt-4o', cost_usd: 0.03, is_error: i < 10 }));
  await insertSpans(store.client, store.database, spans);
});
afterAll(async () => {
  await store.close();
});

describe('the digest job', () => {
  it('summarises the day before its run against the week before it', async () => {
    const window = digestJob.window(new Date('2026-11-21T06:00:00Z'), config);
    expect(window).toEqual({ start: new Date('2026-11-20T00:00:00Z'), end: new Date('2026-11-21T00:00:00Z') });
    await digestJob.run({ client: store.client, database: store.database, config, logger: createLogger({ level: 'silent' }), window });
    const digest = await readDigest(store.client, store.database, '2026-11-20');
    expect(digest?.findings.map((f) => f.message)).toEqual([
      'search: cost per call $0.030, up 50.0% on the 7 days before ($0.020)',
      'gpt-4o: error rate 10.0%, up from 0.0% over the 7 days before',
      // Last 7 days: 6 × 100 × $0.02 + 100 × $0.03 = $15; the 7 before: 1 day × 100 × $0.02 = $2.
      'spend over the last 7 days $15.00, up 650.0% on the 7 days before ($2.00)',
    ]);
    expect(await readDigest(store.client, store.database)).toEqual(digest);
  });
});
