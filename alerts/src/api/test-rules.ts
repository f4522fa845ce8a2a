import type { ClickHouseClient } from '@clickhouse/client';
import { evaluateRule } from '../metrics/evaluate-rule';
import type { Sample } from '../model';
import { parseRuleFile } from '../rules/rule-file';

export interface RuleTestResult {
  rule: string;
  outcome: 'no_data' | 'error' | 'ok';
  error?: string;
  /** Groups whose condition holds now: they would go pending, and fire once held for `for`. */
  breaching: Sample[];
  groups: number;
  for_ms: number;
}

export interface RuleFileTest {
  problems: string[];
  results: RuleTestResult[];
}

/** `spanlens alerts test <file>`: evaluates a rule file's rules against stored data now, notifying nobody. */
export async function testRuleFile(client: ClickHouseClient, database: string, file: { path: string; text: string }, channels: string[], now: Date): Promise<RuleFileTest> {
  const { rules, problems } = parseRuleFile(file.path, file.text, channels);
  const results: RuleTestResult[] = [];
  for (const rule of rules) {
    const evaluation = await evaluateRule(client, database, rule, now);
    if (evaluation.kind === 'ok') {
      results.push({ rule: rule.name, outcome: 'ok', breaching: evaluation.samples.filter((sample) => sample.breaching), groups: evaluation.samples.length, for_ms: rule.for_ms });
    } else {
      results.push({ rule: rule.name, outcome: evaluation.kind, ...(evaluation.kind === 'error' ? { error: evaluation.message } : {}), breaching: [], groups: 0, for_ms: rule.for_ms });
    }
  }
  return { problems, results };
}
