import type { Command } from 'commander';

/** `spanlens report cost` (filled in by the reports work). */
export function registerReportCommands(_program: Command): void {}
