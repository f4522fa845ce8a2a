import type { ClickHouseClient } from '@clickhouse/client';
import { dedupedSpansSql } from '../rollup/span-sql';
import { dateTime64Param } from '../rollup/hour-states';

/** What a drift test compares: a feature, or a prompt id (all its versions). */
export const driftSubjectKinds = ['feature', 'prompt'] as const;
export type DriftSubjectKind = (typeof driftSubjectKinds)[number];

/** The per-call measures tested for drift, and the SQL that reads each from llm_spans. */
export const driftMetrics = {
  input_tokens: 'toFloat64(input_tokens)',
  output_tokens: 'toFloat64(output_tokens)',
  latency_ms: 'duration_ms',
  cost_per_call_usd: 'cost_usd',
  // Only where content is captured (mapping.capture_content); other calls have no length.
  prompt_chars: "if(prompt_text = '', NULL, toFloat64(lengthUTF8(prompt_text)))",
  response_chars: "if(completion_text = '', NULL, toFloat64(lengthUTF8(completion_text)))",
} as const;
export type DriftMetric = keyof typeof driftMetrics;

const subjectColumn: Record<DriftSubjectKind, string> = { feature: 'toString(feature)', prompt: 'toString(prompt_id)' };

export interface SubjectSample {
  subject: string;
  /** Values per metric; cost leaves out unpriced calls. */
  values: Record<DriftMetric, number[]>;
  /** Calls in the window before sampling. */
  calls: number;
}

/**
 * The calls of every subject of a kind in [from, to), at most `maxSamples`
 * per subject: a uniform sample chosen by a hash of the span id, so the same
 * window always yields the same sample and a rerun the same results.
 */
export async function readSubjectSamples(
  client: ClickHouseClient,
  database: string,
  options: { kind: DriftSubjectKind; from: Date; to: Date; minSamples: number; maxSamples: number },
): Promise<SubjectSample[]> {
  const subject = subjectColumn[options.kind];
  const metrics = Object.entries(driftMetrics) as Array<[DriftMetric, string]>;
  const spans = dedupedSpansSql(
    database,
    ['feature', 'prompt_id', 'input_tokens', 'output_tokens', 'duration_ms', 'cost_usd', 'prompt_text', 'completion_text'],
    "start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}",
  );
  const result = await client.query({
    query: `
      SELECT subject, any(calls) AS calls, ${metrics.map(([name]) => `groupArray(${name}) AS ${name}`).join(', ')}
      FROM (
        SELECT ${subject} AS subject, count() OVER (PARTITION BY subject) AS calls,
               ${metrics.map(([name, expression]) => `${expression} AS ${name}`).join(', ')}
        FROM ${spans}
        WHERE ${subject} != ''
        ORDER BY subject, cityHash64(span_id)
        LIMIT {max:UInt32} BY subject
      )
      GROUP BY subject
      HAVING calls >= {min:UInt32}
      ORDER BY subject`,
    query_params: { from: dateTime64Param(options.from.getTime()), to: dateTime64Param(options.to.getTime()), max: options.maxSamples, min: options.minSamples },
    format: 'JSONEachRow',
  });
  const rows = await result.json<Record<string, unknown>>();
  return rows.map((row) => {
    const values = {} as Record<DriftMetric, number[]>;
    for (const [name] of metrics) {
      values[name] = (row[name] as Array<number | null>).filter((value): value is number => value !== null).map(Number);
    }
    return { subject: String(row.subject), calls: Number(row.calls), values };
  });
}

/**
 * Captured prompt texts of every subject of a kind in [from, to), at most
 * `maxSamples` per subject, sampled like readSubjectSamples. Empty when
 * content is not captured.
 */
export async function readPromptTexts(
  client: ClickHouseClient,
  database: string,
  options: { kind: DriftSubjectKind; from: Date; to: Date; maxSamples: number },
): Promise<Map<string, string[]>> {
  const subject = subjectColumn[options.kind];
  const spans = dedupedSpansSql(database, ['feature', 'prompt_id', 'prompt_text'], "start_time >= {from:DateTime64(3, 'UTC')} AND start_time < {to:DateTime64(3, 'UTC')}");
  const result = await client.query({
    query: `
      SELECT subject, groupArray(prompt_text) AS texts
      FROM (
        SELECT ${subject} AS subject, prompt_text FROM ${spans}
        WHERE ${subject} != '' AND prompt_text != ''
        ORDER BY subject, cityHash64(span_id)
        LIMIT {max:UInt32} BY subject
      )
      GROUP BY subject
      ORDER BY subject`,
    query_params: { from: dateTime64Param(options.from.getTime()), to: dateTime64Param(options.to.getTime()), max: options.maxSamples },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ subject: string; texts: string[] }>();
  return new Map(rows.map((row) => [row.subject, row.texts]));
}
