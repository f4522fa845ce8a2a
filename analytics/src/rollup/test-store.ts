import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { migrate, openClickHouse, type LlmSpan } from '@spanlens/core';

export interface TestStore {
  client: ClickHouseClient;
  database: string;
  close(): Promise<void>;
}

/** A migrated embedded store in a fresh directory; one per test file (one chDB per process). */
export async function openTestStore(database: string): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'spanlens-analytics-test-'));
  const client = await openClickHouse({ data_dir: dataDir, database, clickhouse: { user: 'default', password: '' } });
  await migrate(client, database);
  return {
    client,
    database,
    async close() {
      await client.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A priced span starting at `at` with fresh ids; tests set what they assert on. */
export function spanAt(at: Date, overrides: Partial<LlmSpan> = {}): LlmSpan {
  const startNs = BigInt(at.getTime()) * 1_000_000n + 123_456n;
  return {
    trace_id: randomBytes(16).toString('hex'),
    span_id: randomBytes(8).toString('hex'),
    parent_span_id: '',
    start_time_ns: String(startNs),
    end_time_ns: String(startNs + 800_000_000n),
    duration_ms: 800,
    service_name: 'web',
    span_name: 'chat',
    provider: 'openai',
    operation: 'chat',
    request_model: 'gpt-4o',
    response_model: 'gpt-4o',
    model: 'gpt-4o',
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    reasoning_tokens: 0,
    finish_reasons: ['stop'],
    is_error: false,
    error_type: '',
    ttft_ms: null,
    feature: '',
    user_id: '',
    session_id: '',
    prompt_id: '',
    prompt_version: '',
    code_file_path: '',
    code_line_number: 0,
    code_function_name: '',
    cost_usd: 0,
    input_cost_usd: 0,
    output_cost_usd: 0,
    unpriced: false,
    price_version: 'test',
    attributes: {},
    resource_attributes: {},
    ...overrides,
  };
}
