import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { testRuleFile, type RuleFileTest } from '@spanlens/alerts';
import { callApi, chooseDataAccess, withStore } from '../data-access';
import { readConfig } from '../read-config';

/** `spanlens alerts test <rule-file>`: what the file's rules would do on the stored data now, notifying nobody. */
export function registerAlertsCommands(program: Command): void {
  const alerts = program.command('alerts').description('alert rules');
  alerts
    .command('test <rule-file>')
    .description('evaluate a rule file against stored data and print what would fire, without notifying')
    .option('--json', 'print JSON')
    .action(async (path: string, options: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (error) {
        process.stderr.write(`spanlens: cannot read ${path}: ${(error as Error).message}\n`);
        process.exit(2);
      }
      const config = readConfig();
      const access = await chooseDataAccess(config);
      const result =
        access.via === 'api'
          ? await callApi<RuleFileTest>(access, '/api/v1/alerts/test', { method: 'POST', body: { path, yaml: text } })
          : await withStore(config, ({ client, database }) => testRuleFile(client, database, { path, text }, Object.keys(config.alerts.channels), new Date()));
      process.stdout.write(options.json ? `${JSON.stringify(result, null, 2)}\n` : describe(result));
      process.exit(result.problems.length > 0 ? 1 : 0);
    });
}

function describe(result: RuleFileTest): string {
  const lines: string[] = [];
  for (const problem of result.problems) lines.push(`invalid: ${problem}`);
  for (const rule of result.results) {
    if (rule.outcome !== 'ok') {
      lines.push(`${rule.rule}: ${rule.outcome === 'no_data' ? 'no data in its window' : `evaluation failed: ${rule.error}`}`);
      continue;
    }
    if (rule.breaching.length === 0) {
      lines.push(`${rule.rule}: would not fire (${rule.groups} ${rule.groups === 1 ? 'group' : 'groups'} within bounds)`);
      continue;
    }
    const when = rule.for_ms > 0 ? `would fire if it holds for ${Math.round(rule.for_ms / 60_000)} min` : 'would fire';
    for (const sample of rule.breaching) {
      const labels = Object.entries(sample.labels).map(([k, v]) => `${k}=${v}`).join(', ') || 'all';
      const baseline = sample.baseline === undefined ? '' : ` (baseline ${sample.baseline})`;
      lines.push(`${rule.rule} {${labels}}: ${when}: value ${sample.value}${baseline}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
