import type { Command } from 'commander';

/** `spanlens jobs run|list` (filled in by the jobs work). */
export function registerJobsCommands(_program: Command): void {}
