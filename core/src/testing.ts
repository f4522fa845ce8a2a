/**
 * Helpers for tests of packages that use core's storage: a migrated embedded
 * store in its own directory, and span rows to put in it. Exported as
 * `@spanlens/core/testing` so that production code never imports them.
 */
export { openTestStore, selectRows } from './storage/test-store';
export type { TestStore } from './storage/test-store';
export { makeSpan } from './storage/test-spans';
export { readCsv } from './testing-csv';
export { makeApiKeyRecord } from './auth/test-keys';
