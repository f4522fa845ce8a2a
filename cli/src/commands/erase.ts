import type { Command } from 'commander';
import { eraseUser, type ErasureReport } from '@spanlens/analytics';
import { callApi, chooseDataAccess, withStore } from '../data-access';
import { readConfig } from '../read-config';

/**
 * `spanlens erase --user ID`: GDPR erasure of one user, through the running
 * server's API when one owns the data directory, else on the store itself.
 * Prints what was removed once it is done.
 */
export function registerEraseCommand(program: Command): void {
  program
    .command('erase')
    .description("erase one user's spans, content and feedback and rebuild the rollups that held them")
    .requiredOption('--user <id>', 'the user id the spans carry (user.id / enduser.id)')
    .option('--json', 'print JSON')
    .action(async (options: { user: string; json?: boolean }) => {
      if (options.user.trim() === '') {
        process.stderr.write('spanlens: --user: expected a user id\n');
        process.exit(2);
      }
      const config = readConfig();
      const access = await chooseDataAccess(config);
      const report =
        access.via === 'api'
          ? await callApi<ErasureReport>(access.url, '/api/v1/erasure', { method: 'POST', body: { user_id: options.user } })
          : await withStore(config, ({ client, database }) => eraseUser(client, database, { userId: options.user, requestedBy: 'local-cli', config }));
      process.stdout.write(
        options.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : `erased: ${report.spans_deleted} spans, ${report.feedback_deleted} feedback items, ${report.alert_rows_deleted} alert rows; rebuilt ${report.hours_rebuilt} rollup hours and ${report.days_rebuilt} days (request ${report.request_id}, done ${report.completed_at})\n`,
      );
    });
}
