import { ConfigError, loadConfig, type SpanlensConfig } from '@spanlens/core';

/** The validated config of this process; a bad value ends the process with exit code 2 and a message naming it. */
export function readConfig(): SpanlensConfig {
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
