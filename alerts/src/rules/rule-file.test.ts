import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultRulesDir, loadRules, parseRuleFile } from './rule-file';

const file = 'alerts/rules/errors.yaml';
const channels = ['slack', 'oncall'];

function parse(yaml: string, configured = channels) {
  return parseRuleFile(file, yaml, configured);
}

describe('parseRuleFile', () => {
  it('reads a rule into AlertRule', () => {
    const { rules, problems } = parse(`
rules:
  - name: error-rate-warning
    metric: error_rate
    filters: { feature: search }
    group_by: [model]
    window: 5m
    condition: "> 0.05"
    for: 10m
    keep_firing_for: 2m
    severity: critical
    labels: { team: search }
    annotations: { summary: "{{ value | percent }}", description: "on {{ labels.model }}" }
    channels: [oncall]
`);
    expect(problems).toEqual([]);
    expect(rules).toEqual([{
      name: 'error-rate-warning',
      file,
      metric: 'error_rate',
      filters: { feature: 'search' },
      group_by: ['model'],
      window_ms: 300_000,
      condition: { op: '>', threshold: 0.05 },
      for_ms: 600_000,
      keep_firing_for_ms: 120_000,
      min_votes: 30,
      severity: 'critical',
      labels: { team: 'search' },
      annotations: { summary: '{{ value | percent }}', description: 'on {{ labels.model }}' },
      channels: ['oncall'],
    }]);
  });

  it('accepts a bare list, object conditions and baselines, and fills defaults', () => {
    const { rules, problems } = parse(`
- name: latency
  metric: latency_p95_ms
  window: 15m
  condition: { op: ">", baseline: { window: 7d, factor: 2 } }
- name: votes
  metric: satisfaction_rate
  window: 1h
  min_votes: 10
  condition: { op: "<", threshold: 0.7 }
`);
    expect(problems).toEqual([]);
    expect(rules.map((rule) => [rule.name, rule.condition, rule.min_votes, rule.for_ms, rule.severity, rule.channels])).toEqual([
      ['latency', { op: '>', baseline: { window_ms: 604_800_000, factor: 2 } }, 30, 0, 'warning', ['slack', 'oncall']],
      ['votes', { op: '<', threshold: 0.7 }, 10, 0, 'warning', ['slack', 'oncall']],
    ]);
  });

  it('names the file, the rule and the field of each problem, and keeps the good rules', () => {
    const { rules, problems } = parse(`
rules:
  - name: error-rate-warning
    metric: error_rate
    window: 5 minutes
    condition: "> 0.01"
  - name: pager-rule
    metric: calls
    window: 5m
    condition: "> 100"
    channels: [slack, pager]
  - name: typo
    metric: eror_rate
    window: 5m
    condition: "> 1"
  - metric: calls
    window: 5m
    condition: { op: "=", threshold: 1 }
    colour: red
  - name: good
    metric: calls
    window: 1h
    condition: "< 1"
  - name: good
    metric: calls
    window: 2h
    condition: "< 1"
  - name: both
    metric: cost_total
    window: 1h
    condition: { op: ">", threshold: 1, baseline: { window: 1d, factor: 2 } }
    group_by: [team]
    annotations: { summary: "{{ value | dollars }}" }
    min_votes: 5
`);
    expect(rules.map((rule) => rule.name)).toEqual(['good']);
    expect(problems).toEqual([
      'alerts/rules/errors.yaml: rule "error-rate-warning": window: expected a duration like 5m, 1h or 7d; got "5 minutes"',
      'alerts/rules/errors.yaml: rule "pager-rule": channels: "pager" is not a configured channel (alerts.channels has: slack, oncall)',
      'alerts/rules/errors.yaml: rule "typo": metric: unknown metric "eror_rate" (expected one of: cost_total, cost_per_call, cost_per_hour, calls, error_rate, latency_p50_ms, latency_p95_ms, latency_p99_ms, ttft_p95_ms, tokens_per_second, satisfaction_rate, cache_hit_rate, unpriced_calls, user_error_rate, call_cost_max, call_latency_max_ms, drift_detected)',
      'alerts/rules/errors.yaml: rule #4: name: required',
      'alerts/rules/errors.yaml: rule #4: condition.op: unknown comparison "=" (expected one of: >, >=, <, <=)',
      'alerts/rules/errors.yaml: rule #4: colour: unknown field',
      'alerts/rules/errors.yaml: rule "good": name: another rule in this file is already called "good"',
      'alerts/rules/errors.yaml: rule "both": group_by.0: unknown dimension "team" (expected one of: feature, model, prompt, user, provider)',
      'alerts/rules/errors.yaml: rule "both": condition: expected exactly one of threshold or baseline',
    ]);
  });

  it('checks templates, min_votes and drift rules once the fields are valid', () => {
    const { rules, problems } = parse(`
- name: templated
  metric: cost_total
  window: 1h
  condition: "> 1"
  min_votes: 5
  annotations: { summary: "{{ value | dollars }}", description: "{{ labels.feature" }
- name: drift
  metric: drift_detected
  window: 1d
  group_by: [prompt, model]
  condition: { op: ">", baseline: { window: 7d, factor: 2 } }
`);
    expect(rules).toEqual([]);
    expect(problems).toEqual([
      'alerts/rules/errors.yaml: rule "templated": annotations.summary: unknown format "dollars" (expected one of: number, percent, usd, ms)',
      'alerts/rules/errors.yaml: rule "templated": annotations.description: unclosed or malformed {{ }}',
      'alerts/rules/errors.yaml: rule "templated": min_votes: only applies to metric satisfaction_rate',
      'alerts/rules/errors.yaml: rule "drift": group_by: drift_detected is per feature or per prompt; "model" is neither',
      'alerts/rules/errors.yaml: rule "drift": group_by: drift_detected looks at features or prompts, not both in one rule',
      'alerts/rules/errors.yaml: rule "drift": condition: drift_detected takes a threshold (e.g. "> 0"), not a baseline',
    ]);
  });

  it('reports a file that is not YAML or not a list of rules', () => {
    expect(parse('rules: [').problems[0]).toMatch(/^alerts\/rules\/errors\.yaml: not valid YAML: /);
    expect(parse('alerts: []').problems).toEqual(['alerts/rules/errors.yaml: expected a list of rules, or a map with only "rules: [...]"']);
    expect(parse('').problems).toEqual([]);
  });

  it('says when no channel is configured at all', () => {
    expect(parse('- { name: a, metric: calls, window: 5m, condition: "> 1", channels: [slack] }', []).problems).toEqual([
      'alerts/rules/errors.yaml: rule "a": channels: "slack" is not a configured channel (alerts.channels is empty)',
    ]);
  });
});

describe('loadRules', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the shipped defaults with no problems, with and without channels', () => {
    for (const configured of [[], ['slack', 'oncall']]) {
      const { rules, problems } = loadRules({ defaultsDir: defaultRulesDir, channels: configured });
      expect(problems).toEqual([]);
      expect(rules.map((rule) => rule.name).sort()).toEqual([
        'cache-hit-rate-low', 'cost-spike', 'error-rate-critical', 'error-rate-warning', 'expensive-call', 'latency-p95-regression', 'prompt-drift', 'satisfaction-low',
      ]);
      for (const rule of rules) expect(rule.channels).toEqual(configured);
    }
  });

  it('skips a user rule whose name a default already has, and reports a missing directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'spanlens-rules-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'nested'));
    writeFileSync(join(dir, 'mine.yaml'), 'rules:\n  - { name: error-rate-warning, metric: calls, window: 5m, condition: "> 1" }\n  - { name: mine, metric: calls, window: 5m, condition: "> 1" }\n');
    writeFileSync(join(dir, 'notes.txt'), 'not a rule file');
    const { rules, problems } = loadRules({ defaultsDir: defaultRulesDir, userDir: dir, channels: [] });
    expect(rules.map((rule) => rule.name)).toContain('mine');
    expect(rules.filter((rule) => rule.name === 'error-rate-warning').map((rule) => rule.metric)).toEqual(['error_rate']);
    expect(problems).toEqual([`${join(dir, 'mine.yaml')}: rule "error-rate-warning": name: a rule of this name is already defined in ${join(defaultRulesDir, 'errors.yaml')}`]);

    const missing = loadRules({ userDir: join(dir, 'absent'), channels: [] });
    expect(missing.rules).toEqual([]);
    expect(missing.problems[0]).toMatch(/absent: cannot read the rules directory: ENOENT/);
  });
});
