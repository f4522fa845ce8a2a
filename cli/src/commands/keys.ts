import type { Command } from 'commander';
import { createApiKey, isKeyScope, keyScopes, loadApiKeys, localCliActor, recordAudit, revokeApiKey, summariseKey, type ApiKeySummary, type SpanlensConfig } from '@spanlens/core';
import { callApi, chooseDataAccess, withStore } from '../data-access';
import { readConfig } from '../read-config';

type CreatedKey = ApiKeySummary & { key: string };

/**
 * `spanlens keys create|list|revoke`. Through the running server's API when
 * one owns the data (with an admin key in SPANLENS_API_KEY once keys exist),
 * otherwise on the store directly, which is how the first key is made.
 */
export function registerKeysCommands(program: Command): void {
  const keys = program.command('keys').description('API keys: create (shown once), list, revoke');

  keys
    .command('create')
    .description('create a key and print it once; only its hash is stored')
    .requiredOption('--scope <scope>', `what the key may do: ${keyScopes.join(', ')}`)
    .option('--name <name>', 'a label to recognise the key by, e.g. the service that uses it')
    .option('--json', 'print JSON')
    .action(async (options: { scope: string; name?: string; json?: boolean }) => {
      if (!isKeyScope(options.scope)) return badArgument(`--scope: expected one of ${keyScopes.join(', ')}, got "${options.scope}"`);
      if (options.name !== undefined && options.name.length > 200) return badArgument('--name: at most 200 characters');
      const created = await createKey(readConfig(), options.scope, options.name);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
        return;
      }
      process.stdout.write(`created ${created.scope} key ${created.id}${created.name ? ` (${created.name})` : ''}; it is shown only now:\n${created.key}\n`);
    });

  keys
    .command('list')
    .description('every key: id, name, scope, created, last used (by the running server), revoked')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const list = await listKeys(readConfig());
      process.stdout.write(options.json ? `${JSON.stringify({ keys: list }, null, 2)}\n` : formatKeysTable(list));
    });

  keys
    .command('revoke <id>')
    .description('revoke a key: refused at once by the server that revoked it, within seconds by the others')
    .action(async (id: string) => {
      if (!/^[0-9a-f]{16}$/.test(id)) return badArgument(`<id>: expected the 16 hex characters of a key id (see keys list), got "${id}"`);
      const outcome = await revokeKey(readConfig(), id);
      if ('error' in outcome) {
        process.stderr.write(`spanlens: ${outcome.error}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(outcome.already ? `key ${id} was already revoked\n` : `revoked key ${id}\n`);
    });
}

async function createKey(config: SpanlensConfig, scope: (typeof keyScopes)[number], name: string | undefined): Promise<CreatedKey> {
  const access = await chooseDataAccess(config);
  if (access.via === 'api') return callApi<CreatedKey>(access, '/api/v1/keys', { method: 'POST', body: { scope, ...(name ? { name } : {}) } });
  return withStore(config, async ({ client, database }) => {
    const created = await createApiKey(client, database, { scope, ...(name ? { name } : {}) });
    await recordAudit(client, database, { actor: localCliActor, action: 'key.create', target: created.record.id, detail: { scope } });
    return { key: created.key, ...summariseKey(created.record) };
  });
}

async function listKeys(config: SpanlensConfig): Promise<ApiKeySummary[]> {
  const access = await chooseDataAccess(config);
  if (access.via === 'api') return (await callApi<{ keys: ApiKeySummary[] }>(access, '/api/v1/keys')).keys;
  return withStore(config, async ({ client, database }) => (await loadApiKeys(client, database)).map(summariseKey));
}

async function revokeKey(config: SpanlensConfig, id: string): Promise<{ already: boolean } | { error: string }> {
  const access = await chooseDataAccess(config);
  if (access.via === 'api') {
    try {
      const answer = await callApi<{ already_revoked: boolean }>(access, `/api/v1/keys/${id}/revoke`, { method: 'POST' });
      return { already: answer.already_revoked };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }
  return withStore(config, async ({ client, database }) => {
    const outcome = await revokeApiKey(client, database, id);
    if (!outcome.ok) return { error: outcome.error };
    if (!outcome.already) await recordAudit(client, database, { actor: localCliActor, action: 'key.revoke', target: id });
    return { already: outcome.already };
  });
}

function badArgument(message: string): void {
  process.stderr.write(`spanlens: ${message}\n`);
  process.exitCode = 2;
}

/** One line per key; times to the second in UTC. */
export function formatKeysTable(keys: ApiKeySummary[]): string {
  if (keys.length === 0) return 'no API keys: every route is open and Spanlens listens on loopback only\n';
  const time = (value: string | null | undefined) => (value ? `${value.replace(' ', 'T').replace(/(\.\d+)?Z?$/, '')}Z` : '-');
  const header = ['ID', 'NAME', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'];
  const rows = keys.map((key) => [key.id, key.name || '-', key.scope, time(key.created_at), time(key.last_used_at), time(key.revoked_at)]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return `${[header, ...rows].map(line).join('\n')}\n`;
}
