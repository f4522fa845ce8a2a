import { writeFileSync } from 'node:fs';
import type { Command, CommanderError } from 'commander';
import { buildCostReport, parseCostReportRequest, renderCostReport, type CostReportRequest } from '@spanlens/analytics';
import type { SpanlensConfig } from '@spanlens/core';
import { apiKeyHeaders, chooseDataAccess, withStore } from '../data-access';
import { readConfig } from '../read-config';

interface CostOptions {
  by?: string;
  from?: string;
  to?: string;
  format?: string;
  out?: string;
}

/** `spanlens report cost`: the finance report, through the running server's API or straight from the store. */
export function registerReportCommands(program: Command): void {
  const report = program.command('report').description('reports over the stored spans');
  report
    .command('cost')
    .description('AI cost over a range by feature, user, model or prompt, as CSV, JSON or HTML')
    .option('--by <grouping>', 'feature, user, model or prompt')
    .option('--from <iso>', 'start of the range, inclusive (default: 30 days before --to)')
    .option('--to <iso>', 'end of the range, exclusive (default: now)')
    .option('--format <format>', 'csv, json or html', 'json')
    .option('--out <file>', 'write the report to FILE instead of standard output')
    .exitOverride(usageErrorsExitTwo)
    .action(async (options: CostOptions) => {
      const config = readConfig();
      const parsed = parseCostReportRequest(
        Object.fromEntries(Object.entries({ by: options.by, from: options.from, to: options.to, format: options.format }).filter(([, v]) => v !== undefined)),
        new Date(),
      );
      if (!parsed.ok) {
        // The messages name query parameters; here they are options.
        process.stderr.write(`spanlens report cost: ${parsed.error.replace(/(^|; )(by|from|to|format):/g, '$1--$2:')}\n`);
        process.exit(2);
      }
      const body = await costReport(config, parsed.value);
      if (options.out) {
        writeFileSync(options.out, body);
        process.stderr.write(`spanlens: wrote ${options.out} (${body.length} bytes)\n`);
      } else {
        process.stdout.write(body);
      }
    });
}

/** Commander ends a bad command line with 1; like a bad config, it is a usage error: 2. Help and version stay 0. */
function usageErrorsExitTwo(error: CommanderError): never {
  process.exit(error.exitCode === 0 ? 0 : 2);
}

/**
 * The report's bytes. With a server running on the data directory, through
 * its API (chDB lets one process open a directory), with the range resolved
 * here so that both ways report the same range; otherwise from the store.
 */
async function costReport(config: SpanlensConfig, request: CostReportRequest): Promise<Buffer> {
  const access = await chooseDataAccess(config);
  if (access.via === 'api') {
    const query = new URLSearchParams({ by: request.by, from: request.from.toISOString(), to: request.to.toISOString(), format: request.format });
    const response = await fetch(new URL(`/api/v1/reports/cost?${query}`, access.url), { headers: apiKeyHeaders(access) });
    // Bytes, not text(): decoding would drop the CSV's byte order mark.
    const body = Buffer.from(await response.arrayBuffer());
    if (!response.ok) {
      let message = body.toString('utf8');
      try {
        message = (JSON.parse(message) as { message?: string }).message ?? message;
      } catch {
        // not JSON: keep the text
      }
      if (response.status === 400) {
        process.stderr.write(`spanlens report cost: ${message}\n`);
        process.exit(2);
      }
      throw new Error(`the server at ${access.url} answered ${response.status}: ${message}`);
    }
    return body;
  }
  return withStore(config, async (store) => {
    const model = await buildCostReport({ ...store, finance: config.finance }, request);
    return Buffer.from((await renderCostReport(model, request.format)).body, 'utf8');
  });
}
