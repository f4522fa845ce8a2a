#!/usr/bin/env node
import { Command } from 'commander';
import { createLogger } from '@spanlens/core';
import { readConfig } from './read-config';
import { registerAlertsCommands } from './commands/alerts';
import { registerDigestCommand } from './commands/digest';
import { registerEraseCommand } from './commands/erase';
import { registerJobsCommands } from './commands/jobs';
import { registerKeysCommands } from './commands/keys';
import { registerLspCommand } from './commands/lsp';
import { registerReportCommands } from './commands/report';
import { startSpanlens } from './start';

const program = new Command('spanlens').description('Observability and cost analytics for LLM applications');

program
  .command('start')
  .description('start Spanlens with the roles of SPANLENS_ROLES (all by default)')
  .action(async () => {
    const config = readConfig();
    const logger = createLogger({ level: config.log.level });
    const running = await startSpanlens(config, logger);
    process.stdout.write(`Spanlens is listening on ${running.url}  (${running.endpoints.join(', ')})\n`);
    let signals = 0;
    const stop = (signal: string) => {
      signals += 1;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting without waiting');
        process.exit(130);
      }
      logger.info({ signal }, 'shutting down: storing accepted spans');
      running.close().then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

registerJobsCommands(program);
registerKeysCommands(program);
registerReportCommands(program);
registerDigestCommand(program);
registerAlertsCommands(program);
registerLspCommand(program);
registerEraseCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`spanlens: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
