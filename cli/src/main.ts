#!/usr/bin/env node
import { Command } from 'commander';
import { ConfigError, createLogger, loadConfig, type SpanlensConfig } from '@spanlens/core';
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

function readConfig(): SpanlensConfig {
  try {
    return loadConfig({ env: process.env, cwd: process.cwd() });
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`spanlens: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`spanlens: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
