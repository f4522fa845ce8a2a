import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runSpanlensCli } from './support/cli';
import { getCosts, usd } from './support/costs';
import { otlpJsonRequest, postOtlpJson } from './support/otlp-json';
import { repoRoot, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';
import { waitFor } from './support/wait';

// gpt-4o at $2.50 in / $10 out per million: 400 in + 50 out = $0.0015 a call.
const CALL_COST = (400 * 2.5 + 50 * 10) / 1_000_000;
const HOUR_MS = 3_600_000;

const spanlens = runSpanlensCli;

/** Twenty priced calls two hours ago: an hour that has ended, for the rollup to take. Returns when they were. */
async function postCalls(url: string, feature: string): Promise<number> {
  const start = Date.now() - 2 * HOUR_MS;
  const request = otlpJsonRequest(
    Array.from({ length: 20 }, (_, i) => ({
      startMs: start + i,
      attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 400, 'gen_ai.usage.output_tokens': 50, 'spanlens.feature': feature },
    })),
  );
  expect((await postOtlpJson(url, request)).status).toBe(200);
  return start;
}

/**
 * What the first rollup run reports for calls at `at`: their hour, and their
 * UTC day too when that day has ended (between midnight and 02:00 UTC two
 * hours ago was yesterday).
 */
function firstRollupRun(at: number): { rows: number; detail: string } {
  const dayEnded = Math.floor(at / (24 * HOUR_MS)) < Math.floor(Date.now() / (24 * HOUR_MS));
  return dayEnded ? { rows: 2, detail: '1 hour refreshed; 1 day rolled up' } : { rows: 1, detail: '1 hour refreshed' };
}

const costRange = () => ({ group_by: 'feature', from: new Date(Date.now() - 3 * HOUR_MS).toISOString(), to: new Date().toISOString() });

describe('spanlens jobs', () => {
  let running: SpanlensProcess | undefined;
  afterEach(async () => {
    await running?.interrupt();
    running = undefined;
  });

  it('runs and lists jobs on the data directory itself when no server owns it', async () => {
    const dataDir = tempDataDir();
    const env = { SPANLENS_DATA_DIR: dataDir };
    // Spans stored by an earlier server that ran no jobs.
    running = await startSpanlensProcess({ dataDir, env: { SPANLENS_ROLES: 'collector,ingest,api' } });
    const callsAt = await postCalls(running.url, 'offline');
    expect(await running.interrupt()).toBe(0);
    running = undefined;

    const before = await spanlens(['jobs', 'list'], env);
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(/^NAME\s+SCHEDULE\s+LAST RUN\s+WINDOW\s+DURATION\s+OUTCOME\s+DETAIL\n/);
    expect(before.stdout).toMatch(/^rollup\s+\*\/10 \* \* \* \* \*\s+never\s/m);

    const run = await spanlens(['jobs', 'run', 'rollup', '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record).toMatchObject({ job: 'rollup', outcome: 'ok', ...firstRollupRun(callsAt) });

    const summary = await spanlens(['jobs', 'run', 'rollup'], env);
    expect(summary.status).toBe(0);
    expect(summary.stdout).toMatch(/^job rollup: ok in \d+ ms, 0 rows\n {2}window {2}\S+Z → \S+Z\n {2}detail {2}0 hours refreshed\n/);

    const list = await spanlens(['jobs', 'list', '--json'], env);
    expect(list.status).toBe(0);
    const [rollup] = JSON.parse(list.stdout).jobs;
    expect(rollup).toMatchObject({ name: 'rollup', schedule: '*/10 * * * * *', running: false, last_run: { outcome: 'ok', detail: '0 hours refreshed' } });
    const table = await spanlens(['jobs', 'list'], env);
    expect(table.stdout).toMatch(/^rollup\s+\*\/10 \* \* \* \* \*\s+\S+Z\s+\S+Z → \S+Z\s+\d+ ms\s+ok\s+0 hours refreshed$/m);

    // The rollup changed no figure a user sees.
    running = await startSpanlensProcess({ dataDir, env: { SPANLENS_ROLES: 'collector,ingest,api' } });
    const costs = await getCosts(running.url, costRange());
    expect(costs.rows).toEqual([expect.objectContaining({ key: 'offline', calls: 20 })]);
    expect(usd(costs.total_cost_usd)).toBe(usd(20 * CALL_COST));
  });

  it('refuses an unknown job and a bad --window-end with exit code 2, naming them', async () => {
    const env = { SPANLENS_DATA_DIR: tempDataDir() };
    const unknown = await spanlens(['jobs', 'run', 'rolup'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown job "rolup"; the jobs are: rollup');
    expect(unknown.stdout).toBe('');

    const badDate = await spanlens(['jobs', 'run', 'rollup', '--window-end', '2026-06-01 08:00'], env);
    expect(badDate.status).toBe(2);
    expect(badDate.stderr).toContain('--window-end: expected an ISO 8601 date-time with a time zone');
    expect(badDate.stderr).toContain('"2026-06-01 08:00"');
  });

  it('goes through the API of the server that owns the data directory', async () => {
    const dataDir = tempDataDir();
    // A schedule that does not fire during the test, so the last run is the CLI's.
    const configFile = join(dirname(dataDir), 'spanlens.yaml');
    writeFileSync(configFile, 'jobs:\n  schedules:\n    rollup: "0 0 1 1 *"\n');
    const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_CONFIG: configFile };
    running = await startSpanlensProcess({ dataDir, env });
    const callsAt = await postCalls(running.url, 'online');
    const costsBefore = await getCosts(running.url, costRange());

    const windowEnd = new Date(Math.floor(Date.now() / HOUR_MS) * HOUR_MS + 60_000).toISOString();
    const run = await spanlens(['jobs', 'run', 'rollup', '--window-end', windowEnd, '--json'], env);
    expect(run.status, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout);
    expect(record).toMatchObject({ job: 'rollup', outcome: 'ok', ...firstRollupRun(callsAt) });
    expect(Date.parse(record.window_end)).toBe(Math.floor(Date.parse(windowEnd) / HOUR_MS) * HOUR_MS);

    // The server ran it: its API lists the run, and its log has it.
    const listed = (await (await fetch(`${running.url}/api/v1/jobs`)).json()) as { jobs: Array<{ next_run?: string }> };
    expect(listed.jobs[0]).toMatchObject({ name: 'rollup', schedule: '0 0 1 1 *', running: false, last_run: record });
    expect(listed.jobs[0]!.next_run).toMatch(/-01-01T00:00:00\.000Z$/);
    const expected = firstRollupRun(callsAt);
    const logged = `"rows":${expected.rows},"detail":"${expected.detail}","msg":"job rollup ran"`;
    // Its log (stderr) may trail the API's answer: wait for the line.
    const server = running;
    await waitFor('the server to log the run', () => server.log().includes(logged), 10_000, () => server.log());
    expect(run.stderr).not.toContain('job rollup ran');
    expect((await getCosts(running.url, costRange())).rows).toEqual(costsBefore.rows);

    const table = await spanlens(['jobs', 'list'], env);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(new RegExp(`^rollup\\s+0 0 1 1 \\*\\s+\\S+Z\\s+\\S+Z → \\S+Z\\s+\\d+ ms\\s+ok\\s+${expected.detail}$`, 'm'));

    const unknown = await spanlens(['jobs', 'run', 'nope'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(`the server at ${running.url} answered 404: unknown job "nope"; the jobs are: rollup`);
  });
});
