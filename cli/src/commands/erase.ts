import type { Command } from 'commander';
import { eraseUser, type ErasureReport } from '@spanlens/analytics';
import { localCliActor, recordAudit } from '@spanlens/core';
import { callApi, chooseDataAccess, withStore } from '../data-access';
import { readConfig } from '../read-config';
import { storedUserId } from '../stored-user-id';

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
          ? // The server records the request in the audit log itself.
            await callApi<ErasureReport>(access, '/api/v1/erasure', { method: 'POST', body: { user_id: options.user } })
          : await withStore(config, async ({ client, database }) => {
              const done = await eraseUser(client, database, { userId: options.user, requestedBy: localCliActor, config, storedAs: storedUserId(config) });
              await recordAudit(client, database, { actor: localCliActor, action: 'erasure.request', target: done.request_id, detail: { spans_deleted: done.spans_deleted, feedback_deleted: done.feedback_deleted, aggregate_rows_deleted: done.aggregate_rows_deleted } });
              return done;
            });
      process.stdout.write(
        options.json
          ? `${JSON.stringify(report, null, 2)}\n`
          : `erased: ${report.spans_deleted} spans, ${report.feedback_deleted} feedback items, ${report.alert_rows_deleted} alert rows; rebuilt ${report.hours_rebuilt} rollup hours and ${report.days_rebuilt} days; deleted ${report.aggregate_rows_deleted} satisfaction, drift and digest rows that counted them (request ${report.request_id}, done ${report.completed_at})\n`,
      );
    });
}
