import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFeedback } from './insert-feedback';
import { openTestStore, selectRows, type TestStore } from './test-store';

let store: TestStore;
beforeAll(async () => {
  store = await openTestStore('feedback_test');
});
afterAll(async () => {
  await store.close();
});

describe('insertFeedback', () => {
  it('stores a comment and user id holding lone UTF-16 surrogates with U+FFFD in their place, with the rest of the batch', async () => {
    const at = Date.now();
    const base = { trace_id: 'ab'.repeat(16), span_id: 'cd'.repeat(8), score: 1, created_at_ms: at, received_at_ms: at };
    await insertFeedback(store.client, store.database, [
      { ...base, feedback_id: 'lone', user_id: 'user-\ud800', comment: 'great \udc00 answer 🚀' },
      { ...base, feedback_id: 'plain', user_id: 'user-2', comment: 'fine' },
    ]);
    const rows = await selectRows<{ feedback_id: string; user_id: string; comment: string }>(
      store.client,
      `SELECT feedback_id, user_id, comment FROM feedback_test.feedback ORDER BY feedback_id`,
    );
    expect(rows).toEqual([
      { feedback_id: 'lone', user_id: 'user-\ufffd', comment: 'great \ufffd answer 🚀' },
      { feedback_id: 'plain', user_id: 'user-2', comment: 'fine' },
    ]);
  });

  it('stores feedback dated across more than 100 months in one insert', async () => {
    const month = 31 * 86_400_000;
    const first = Date.UTC(2002, 0, 15);
    await insertFeedback(
      store.client,
      store.database,
      Array.from({ length: 130 }, (_, i) => ({
        feedback_id: `months-${i}`, trace_id: 'ef'.repeat(16), span_id: '', user_id: 'u', score: 1, comment: '',
        created_at_ms: first + i * month, received_at_ms: Date.now(),
      })),
    );
    const [row] = await selectRows<{ items: string; months: string }>(
      store.client,
      `SELECT count() AS items, uniqExact(toYYYYMM(created_at)) AS months FROM feedback_test.feedback WHERE feedback_id LIKE 'months-%'`,
    );
    expect([Number(row!.items), Number(row!.months)]).toEqual([130, 130]);
  });
});
