import { spanColumns, tableName } from '@spanlens/core';

/**
 * SQL that makes the jobs bench's workload inside ClickHouse: every value of
 * a span is a function of its row number from `numbers()`, drawn through
 * cityHash64 with a salt per field, so a load is deterministic, needs no
 * random state, and never passes a span through JavaScript. Parameters:
 * {offset:UInt64} and {count:UInt64} pick the chunk of row numbers,
 * {total:UInt64} is the whole workload's size, {from_ns:Int64} and
 * {range_ns:Int64} the span of time it covers, {incident_ns:Int64} when the
 * incident (below) starts and {now_ms:Int64} the latest a vote may be given.
 */

/** A uniform draw in [0, 1) from a value and a salt. */
const draw = (of: string, salt: number) => `(cityHash64(${of}, ${salt}) / 18446744073709551616.0)`;
/** 16 lower-case hex characters from a value and a salt. */
const hex16 = (of: string, salt: number) => `leftPad(lower(hex(cityHash64(${of}, ${salt}))), 16, '0')`;

/**
 * The models calls go to, with list prices per million tokens (input,
 * output, cache read), decode speed and error rate. The last one is a
 * self-hosted fine-tune the price list does not know: its calls are unpriced.
 */
const models = [
  { provider: 'openai', request: 'gpt-4o', response: 'gpt-4o-2024-08-06', input: 2.5, output: 10, cacheRead: 1.25, msPerToken: 12, errorRate: 0.008, share: 0.32 },
  { provider: 'openai', request: 'gpt-4o-mini', response: 'gpt-4o-mini-2024-07-18', input: 0.15, output: 0.6, cacheRead: 0.075, msPerToken: 8, errorRate: 0.006, share: 0.28 },
  { provider: 'anthropic', request: 'claude-sonnet-4-20250514', response: 'claude-sonnet-4-20250514', input: 3, output: 15, cacheRead: 0.3, msPerToken: 18, errorRate: 0.012, share: 0.17 },
  { provider: 'anthropic', request: 'claude-3-5-haiku-latest', response: 'claude-3-5-haiku-20241022', input: 0.8, output: 4, cacheRead: 0.08, msPerToken: 9, errorRate: 0.01, share: 0.13 },
  { provider: 'google', request: 'gemini-2.0-flash', response: 'gemini-2.0-flash', input: 0.1, output: 0.4, cacheRead: 0.025, msPerToken: 6, errorRate: 0.015, share: 0.095 },
  { provider: 'vllm', request: 'acme-support-ft-7b', response: 'acme-support-ft-7b', input: 0, output: 0, cacheRead: 0, msPerToken: 20, errorRate: 0.03, share: 0.005 },
] as const;
const unpricedModel = models.length - 1;

/** Workload shape: how many of each thing there is. */
export const workloadShape = {
  features: 50,
  users: 10_000,
  promptsPerFeature: 4,
  /** 50 features × 4 prompts each. */
  prompts: 200,
  models: models.length,
  feedbackShare: 0.02,
  /** Features whose answers grow longer once the incident starts, so drift and the digest have something to find. */
  incidentFeatures: [3, 11],
} as const;

const list = (values: readonly (string | number)[]) => `[${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}]`;
const column = (pick: (model: (typeof models)[number]) => string | number) => `${list(models.map(pick))}[m_idx + 1]`;
const modelThresholds = (() => {
  let cumulative = 0;
  const arms = models.slice(0, -1).map((model, i) => {
    cumulative += model.share;
    return `m_draw < ${cumulative.toFixed(4)}, ${i}`;
  });
  return `multiIf(${arms.join(', ')}, ${unpricedModel})`;
})();

/**
 * Traces of one to three LLM calls: each block of six row numbers is split
 * into traces by one of these patterns (trace index of each slot).
 */
const tracePatterns = '[[0, 1, 2, 3, 4, 5], [0, 0, 1, 1, 2, 2], [0, 0, 0, 1, 1, 1], [0, 1, 1, 2, 2, 2]]';

/** One row per span of the chunk, every llm_spans column plus the helpers feedback needs. */
function spanSource(): string {
  const { features, users, promptsPerFeature } = workloadShape;
  return `(
    SELECT
      number AS n,
      ${tracePatterns}[toUInt8(cityHash64(intDiv(n, 6), 0) % 4) + 1] AS pattern,
      pattern[n % 6 + 1] AS trace_in_block,
      intDiv(n, 6) * 6 + trace_in_block AS trace_seq,
      toInt64(n % 6 + 1 - indexOf(pattern, trace_in_block)) AS position,
      -- Traces are spread evenly over the range in row-number order, as they
      -- would arrive; calls of one trace follow each other by ~1.5 s.
      (trace_seq + ${draw('trace_seq', 1)}) / {total:UInt64} AS time_share,
      {from_ns:Int64} + toInt64(time_share * {range_ns:Int64}) + position * 1500000000 + toInt64(cityHash64(n, 2) % 400000000) AS start_ns,
      toUInt32(floor(${features} * pow(${draw('trace_seq', 4)}, 2.2))) AS f_idx,
      toUInt32(floor(${users} * pow(${draw('trace_seq', 5)}, 3))) AS user_idx,
      ${draw('n', 7)} < 0.05 AS no_prompt,
      f_idx * ${promptsPerFeature} + toUInt32(floor(pow(${draw('n', 6)}, 1.5) * ${promptsPerFeature})) AS p_idx,
      p_idx % ${promptsPerFeature} AS p_slot,
      toUInt32(1 + cityHash64(p_idx, 8) % 3) AS p_versions,
      -- Later versions take over as time goes on; each version answers at its own length.
      toUInt32(least(p_versions, greatest(1, floor(1 + p_versions * time_share + (${draw('n', 9)} - 0.5) * 0.4)))) AS p_version,
      [1.0, 1.25, 0.8][p_version] AS version_factor,
      start_ns >= {incident_ns:Int64} AND has(${list(workloadShape.incidentFeatures)}, f_idx) AS in_incident,
      ${draw('n', 10)} + f_idx * 0.0137 AS m_shifted,
      m_shifted - floor(m_shifted) AS m_draw,
      ${modelThresholds} AS m_idx,
      ${draw('n', 12)} < ${column((m) => m.errorRate)} AS is_error,
      toUInt64(200 + cityHash64(p_idx, 11) % 2500) AS prompt_base,
      if(is_error AND ${draw('n', 13)} < 0.5, 0, toUInt64(prompt_base * (0.6 + 0.8 * ${draw('n', 14)}))) AS input_tokens,
      if(is_error, 0, toUInt64((20 + 700 * pow(${draw('n', 15)}, 2)) * version_factor * if(in_incident, 1.6, 1.0))) AS output_tokens,
      if(${draw('n', 16)} < 0.3, toUInt64(input_tokens * 0.6), 0) AS cache_read_tokens,
      m_idx = ${unpricedModel} AS unpriced,
      if(unpriced, NULL, ((input_tokens - cache_read_tokens) * ${column((m) => m.input)} + cache_read_tokens * ${column((m) => m.cacheRead)}) / 1000000) AS input_cost_usd,
      if(unpriced, NULL, output_tokens * ${column((m) => m.output)} / 1000000) AS output_cost_usd,
      input_cost_usd + output_cost_usd AS cost_usd,
      round(if(is_error,
               100 + 29900 * pow(${draw('n', 18)}, 6),
               (250 + output_tokens * ${column((m) => m.msPerToken)} * (0.7 + 0.6 * ${draw('n', 18)})) * if(${draw('n', 19)} < 0.01, 4, 1)), 3) AS duration_ms,
      start_ns + toInt64(duration_ms * 1000000) AS end_ns,
      ${hex16('trace_seq', 20)} || ${hex16('trace_seq', 21)} AS trace_id,
      ${hex16('n', 22)} AS span_id,
      ${hex16('trace_seq', 23)} AS parent_span_id,
      fromUnixTimestamp64Nano(start_ns, 'UTC') AS start_time,
      fromUnixTimestamp64Nano(end_ns, 'UTC') AS end_time,
      ['web-api', 'support-bot', 'search', 'batch-worker'][f_idx % 4 + 1] AS service_name,
      concat('chat ', ${column((m) => m.request)}) AS span_name,
      ${column((m) => m.provider)} AS provider,
      'chat' AS operation,
      ${column((m) => m.request)} AS request_model,
      ${column((m) => m.response)} AS response_model,
      response_model AS model,
      toUInt64(0) AS cache_write_tokens,
      toUInt64(0) AS reasoning_tokens,
      if(is_error, CAST([] AS Array(String)),
         multiIf(${draw('n', 24)} < 0.03, ['length'], ${draw('n', 24)} < 0.13, ['tool_calls'], ['stop'])) AS finish_reasons,
      if(is_error, ['rate_limit_exceeded', 'timeout', 'server_error'][cityHash64(n, 25) % 3 + 1], '') AS error_type,
      if(is_error OR ${draw('n', 26)} < 0.2, NULL, round(120 + 500 * ${draw('n', 27)}, 3)) AS ttft_ms,
      concat('feature-', leftPad(toString(f_idx), 2, '0')) AS feature,
      concat('user-', toString(user_idx)) AS user_id,
      concat('session-', toString(user_idx), '-', toString(intDiv(start_ns, 1800000000000))) AS session_id,
      if(no_prompt, '', concat('prompt-', leftPad(toString(p_idx), 3, '0'))) AS prompt_id,
      if(no_prompt, '', toString(p_version)) AS prompt_version,
      ['answer', 'plan', 'summarise', 'classify'][p_slot + 1] AS step,
      concat('src/features/', feature, '/', step, '.ts') AS code_file_path,
      toUInt32(20 + cityHash64(p_idx, 28) % 180) AS code_line_number,
      concat(step, 'Feature', toString(f_idx)) AS code_function_name,
      'bench-prices@1' AS price_version,
      map('user.plan', ['free', 'pro', 'team', 'enterprise'][user_idx % 4 + 1],
          'gen_ai.request.temperature', ['0', '0.2', '0.7'][p_idx % 3 + 1]) AS attributes,
      map('service.name', service_name, 'deployment.environment', 'prod') AS resource_attributes,
      '' AS prompt_text,
      '' AS completion_text,
      fromUnixTimestamp64Milli(intDiv(end_ns, 1000000) + 200 + toInt64(cityHash64(n, 29) % 2000), 'UTC') AS received_at
    FROM numbers({offset:UInt64}, {count:UInt64})
  )`;
}

/** llm_spans' columns in the order insertSpans writes them, then the arrival time the generator sets itself. */
export const generatedSpanColumns = [...spanColumns, 'received_at'] as const;

/** Stores one chunk of generated spans. */
export function insertGeneratedSpansSql(database: string): string {
  const columns = generatedSpanColumns.join(', ');
  return `INSERT INTO ${tableName(database, 'llm_spans')} (${columns})
    SELECT ${columns} FROM ${spanSource()}`;
}

/**
 * Votes on ~2% of the chunk's calls, naming real (trace_id, span_id) pairs;
 * a fifth are on the whole trace (no span id), a fifth are 0–1 ratings
 * rather than thumbs. Answers of cheaper models, of version 2 prompts and
 * of failed calls please users less.
 */
export function insertGeneratedFeedbackSql(database: string): string {
  // Insert columns are matched by position, so the helper `pleased` lives in WITH.
  return `INSERT INTO ${tableName(database, 'feedback')}
      (feedback_id, trace_id, span_id, user_id, score, comment, created_at, received_at)
    WITH least(0.95, greatest(0.05, 0.8 - if(m_idx IN (1, 3), 0.1, 0) - if(p_version = 2, 0.12, 0) - if(is_error, 0.6, 0))) AS pleased
    SELECT
      concat('fb-', ${hex16('n', 30)}) AS vote_id,
      trace_id,
      if(${draw('n', 31)} < 0.2, '', span_id) AS vote_span_id,
      user_id,
      if(${draw('n', 33)} < 0.2,
         round(least(1, greatest(0, pleased + (${draw('n', 34)} - 0.5) * 0.8)), 2),
         if(${draw('n', 34)} < pleased, 1, -1)) AS vote_score,
      if(${draw('n', 35)} < 0.1, ['too long', 'wrong answer', 'great, thanks', 'did not follow the format'][cityHash64(n, 36) % 4 + 1], '') AS vote_comment,
      fromUnixTimestamp64Milli(least({now_ms:Int64}, intDiv(end_ns, 1000000) + 5000 + toInt64(cityHash64(n, 37) % 600000)), 'UTC') AS vote_created_at,
      vote_created_at + toIntervalMillisecond(150) AS vote_received_at
    FROM ${spanSource()}
    WHERE ${draw('n', 32)} < ${workloadShape.feedbackShare}`;
}

/** Marks every hour that holds a span as touched, as the span writer does, so the rollup picks them up. */
export function markTouchedHoursSql(database: string): string {
  return `INSERT INTO ${tableName(database, 'span_hours_touched')} (hour)
    SELECT DISTINCT toStartOfHour(start_time) FROM ${tableName(database, 'llm_spans')}`;
}
