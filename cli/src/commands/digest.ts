import type { Command } from 'commander';
import { digestText, readDigest, type Digest } from '@spanlens/analytics';
import { callApi, chooseDataAccess, withStore } from '../data-access';
import { readConfig } from '../read-config';

/** `spanlens digest [--day YYYY-MM-DD] [--json]`: the daily digest the digest job wrote. */
export function registerDigestCommand(program: Command): void {
  program
    .command('digest')
    .description('print the daily digest (the latest, or of --day)')
    .option('--day <YYYY-MM-DD>', 'the day summarised')
    .option('--json', 'print JSON')
    .action(async (options: { day?: string; json?: boolean }) => {
      if (options.day !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.day)) {
        process.stderr.write(`spanlens: --day: expected YYYY-MM-DD; got "${options.day}"\n`);
        process.exit(2);
      }
      const config = readConfig();
      const access = await chooseDataAccess(config);
      let digest: Digest | null;
      if (access.via === 'api') {
        const query = options.day ? `?day=${options.day}` : '';
        digest = await callApi<Digest>(access, `/api/v1/digest${query}`).catch((error: Error) => {
          if (/answered 404/.test(error.message)) return null;
          throw error;
        });
      } else {
        digest = await withStore(config, ({ client, database }) => readDigest(client, database, options.day));
      }
      if (!digest) {
        process.stderr.write(`spanlens: no digest${options.day ? ` for ${options.day}` : ' yet'}; run \`pnpm spanlens jobs run digest\`\n`);
        process.exit(1);
      }
      process.stdout.write(options.json ? `${JSON.stringify(digest, null, 2)}\n` : digestText(digest));
    });
}
