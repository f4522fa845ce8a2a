import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { AlertRule } from '../model';
import { ruleSchema } from './rule-schema';

/** The rules Spanlens ships (`alerts/rules/*.yaml`), loaded when `alerts.default_rules` is on. */
export const defaultRulesDir = fileURLToPath(new URL('../../rules', import.meta.url));

/** Votes a group needs before its satisfaction rate counts, unless the rule says otherwise. */
export const defaultMinVotes = 30;

export interface LoadedRules {
  rules: AlertRule[];
  /** One line per problem, each naming the file, the rule and the field; the rules they concern are skipped. */
  problems: string[];
}

function fieldOf(path: readonly PropertyKey[]): string {
  return path.map(String).join('.');
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `${fieldOf([...issue.path, key])}: unknown field`);
  const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required' : issue.message;
  return [`${fieldOf(issue.path) || '(rule)'}: ${message}`];
}

/**
 * The rules of one YAML file: a list of rules, or `rules: [...]`. Each rule
 * is validated on its own, so one bad rule is reported and skipped while the
 * others load. A rule that names no channels notifies every configured
 * channel, so the loaded rule lists them all.
 */
export function parseRuleFile(path: string, text: string, channels: readonly string[]): LoadedRules {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return { rules: [], problems: [`${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`] };
  }
  if (document === null || document === undefined) return { rules: [], problems: [] };
  const list = Array.isArray(document) ? document : (document as { rules?: unknown }).rules;
  if (!Array.isArray(list) || (!Array.isArray(document) && Object.keys(document as object).some((key) => key !== 'rules'))) {
    return { rules: [], problems: [`${path}: expected a list of rules, or a map with only "rules: [...]"`] };
  }

  const rules: AlertRule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [index, raw] of list.entries()) {
    const rawName = (raw as { name?: unknown } | null)?.name;
    const where = `${path}: rule ${typeof rawName === 'string' && rawName !== '' ? `"${rawName}"` : `#${index + 1}`}`;
    const result = ruleSchema.safeParse(raw, { reportInput: true });
    if (!result.success) {
      problems.push(...result.error.issues.flatMap(describeIssue).map((message) => `${where}: ${message}`));
      continue;
    }
    const rule = result.data;
    const unknownChannels = rule.channels.filter((channel) => !channels.includes(channel));
    if (unknownChannels.length > 0) {
      const configured = channels.length > 0 ? `alerts.channels has: ${channels.join(', ')}` : 'alerts.channels is empty';
      problems.push(...unknownChannels.map((channel) => `${where}: channels: "${channel}" is not a configured channel (${configured})`));
      continue;
    }
    if (seen.has(rule.name)) {
      problems.push(`${where}: name: another rule in this file is already called "${rule.name}"`);
      continue;
    }
    seen.add(rule.name);
    rules.push({
      name: rule.name,
      file: path,
      metric: rule.metric,
      filters: rule.filters,
      group_by: rule.group_by,
      window_ms: rule.window,
      condition: rule.condition,
      for_ms: rule.for,
      keep_firing_for_ms: rule.keep_firing_for,
      min_votes: rule.min_votes ?? defaultMinVotes,
      severity: rule.severity,
      labels: rule.labels,
      annotations: {
        summary: rule.annotations.summary ?? '{{ rule }}: {{ value }}',
        description: rule.annotations.description ?? '',
      },
      channels: rule.channels.length > 0 ? rule.channels : [...channels],
    });
  }
  return { rules, problems };
}

function ruleFiles(dir: string): { files: string[]; problem?: string } {
  try {
    const names = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
    return { files: names.map((name) => join(dir, name)) };
  } catch (error) {
    return { files: [], problem: `${dir}: cannot read the rules directory: ${(error as Error).message}` };
  }
}

export interface LoadRulesOptions {
  /** The shipped rules (`defaultRulesDir`), or undefined when `alerts.default_rules` is off. */
  defaultsDir?: string;
  /** `alerts.rules_dir`. */
  userDir?: string;
  /** The names of `alerts.channels`. */
  channels: readonly string[];
}

/**
 * Every rule of the defaults directory, then of the user's. Rule names are
 * unique across all files (they identify alert instances and silences); a
 * second rule of a name already loaded is reported and skipped, so a user
 * who wants to change a default rule turns `default_rules` off and copies it.
 */
export function loadRules(options: LoadRulesOptions): LoadedRules {
  const rules: AlertRule[] = [];
  const problems: string[] = [];
  const fileOfName = new Map<string, string>();
  for (const dir of [options.defaultsDir, options.userDir]) {
    if (dir === undefined) continue;
    const { files, problem } = ruleFiles(dir);
    if (problem) problems.push(problem);
    for (const file of files) {
      const loaded = parseRuleFile(file, readFileSync(file, 'utf8'), options.channels);
      problems.push(...loaded.problems);
      for (const rule of loaded.rules) {
        const first = fileOfName.get(rule.name);
        if (first !== undefined) {
          problems.push(`${file}: rule "${rule.name}": name: a rule of this name is already defined in ${first}`);
          continue;
        }
        fileOfName.set(rule.name, file);
        rules.push(rule);
      }
    }
  }
  return { rules, problems };
}
