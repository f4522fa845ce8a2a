import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCsv } from '@spanlens/core/testing';
import { runSpanlensCli } from './support/cli';
import { getCosts, usd } from './support/costs';
import { otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './support/otlp-json';
import { repoRoot, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

// gpt-4o at $2.50 in / $10 out per million tokens.
const M = 1_000_000;
const cost = { chat: (400 * 2.5 + 50 * 10) / M, search: (2000 * 2.5 + 300 * 10) / M, digest: (10_000 * 2.5 + 1000 * 10) / M };
const calls = { chat: 12, search: 5, digest: 2 };
const expected = {
  chat: usd(calls.chat * cost.chat), // 0.018
  search: usd(calls.search * cost.search), // 0.04
  digest: usd(calls.digest * cost.digest), // 0.07
};
const expectedTotal = usd(expected.chat + expected.search + expected.digest); // 0.128

const now = Date.now();
const tokens = { chat: [400, 50], search: [2000, 300], digest: [10_000, 1000] } as const;
const spans: JsonSpanInput[] = (Object.keys(calls) as Array<keyof typeof calls>).flatMap((feature) =>
  Array.from({ length: calls[feature] }, (_, i) => ({
    startMs: now - 20 * 60_000 + i * 1000,
    attributes: {
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': tokens[feature][0],
      'gen_ai.usage.output_tokens': tokens[feature][1],
      'spanlens.feature': feature,
      'user.id': `user-${i % 3}`,
    },
  })),
);
const range = { from: new Date(now - 3_600_000).toISOString(), to: new Date(now + 60_000).toISOString() };

/** RFC 4180 rows, read independently of the renderer, and whether the bytes start with a UTF-8 BOM. */
function readCsvBytes(bytes: Buffer): { bom: boolean; rows: string[][] } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bom, rows: readCsv(bytes.subarray(bom ? 3 : 0).toString('utf8')) };
}

/** Cost per feature and the TOTAL row of a report CSV. */
function costsOf(bytes: Buffer): Map<string, number> {
  const { bom, rows } = readCsvBytes(bytes);
  expect(bom).toBe(true);
  const [header, ...lines] = rows;
  const key = header!.indexOf('feature');
  const costColumn = header!.indexOf('cost_usd');
  return new Map(lines.map((line) => [line[key]!, Number(line[costColumn])]));
}

async function runCli(args: string[], dataDir: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const result = await runSpanlensCli(args, { SPANLENS_DATA_DIR: dataDir, SPANLENS_LOG_LEVEL: 'silent' });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** How many report requests the server has answered, from its own metrics. */
async function reportRequests(url: string): Promise<number> {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  return [...metrics.matchAll(/^spanlens_http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/reports\/cost"[^}]*status="200"[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('the finance report of a running Spanlens, over the API and from the CLI', () => {
  const dataDir = tempDataDir();
  const outDir = mkdtempSync(join(tmpdir(), 'spanlens-report-'));
  const cliArgs = ['report', 'cost', '--by', 'feature', '--format', 'csv', '--from', range.from, '--to', range.to];
  let running: SpanlensProcess | undefined;

  beforeAll(async () => {
    running = await startSpanlensProcess({ dataDir });
    expect((await postOtlpJson(running.url, otlpJsonRequest(spans))).status).toBe(200);
  });
  afterAll(async () => {
    await running?.kill9().catch(() => {});
  });

  it('reports as CSV the totals of /api/v1/costs', async () => {
    const response = await fetch(`${running!.url}/api/v1/reports/cost?${new URLSearchParams({ by: 'feature', format: 'csv', ...range })}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="spanlens-cost-by-feature-\d{8}T\d{6}(\.\d{3})?Z-\d{8}T\d{6}(\.\d{3})?Z\.csv"$/);
    const csv = costsOf(Buffer.from(await response.arrayBuffer()));

    const api = await getCosts(running!.url, { group_by: 'feature', ...range });
    expect(csv.get('TOTAL')).toBe(api.total_cost_usd);
    for (const row of api.rows) expect(csv.get(row.key)).toBe(row.cost_usd);
    expect(usd(csv.get('TOTAL')!)).toBe(expectedTotal);
    expect(usd(csv.get('chat')!)).toBe(expected.chat);
    expect(usd(csv.get('digest')!)).toBe(expected.digest);
  });

  it('answers JSON by default and HTML on request', async () => {
    const json = await fetch(`${running!.url}/api/v1/reports/cost?${new URLSearchParams({ by: 'user', ...range })}`);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const model = (await json.json()) as { totals: { cost_usd: number; calls: number } };
    expect(usd(model.totals.cost_usd)).toBe(expectedTotal);
    expect(model.totals.calls).toBe(19);
    const html = await fetch(`${running!.url}/api/v1/reports/cost?${new URLSearchParams({ by: 'model', format: 'html', ...range })}`);
    expect(html.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await html.text()).toContain('<title>AI cost by model,');
  });

  it('refuses a range that ends before it starts, and a bad grouping, naming the parameter', async () => {
    const backwards = await fetch(`${running!.url}/api/v1/reports/cost?${new URLSearchParams({ by: 'feature', from: range.to, to: range.from })}`);
    expect(backwards.status).toBe(400);
    expect(((await backwards.json()) as { message: string }).message).toBe(`from (${new Date(range.to).toISOString()}) must be before to (${new Date(range.from).toISOString()})`);
    const grouping = await fetch(`${running!.url}/api/v1/reports/cost?by=callsite`);
    expect(grouping.status).toBe(400);
    expect(((await grouping.json()) as { message: string }).message).toMatch(/^by: must be one of feature, user, model, prompt/);
  });

  it('writes the same report from the CLI through the running server, then from the data directory once it stopped', async () => {
    const viaApi = join(outDir, 'via-api.csv');
    const before = await reportRequests(running!.url);
    const first = await runCli([...cliArgs, '--out', viaApi], dataDir);
    expect(first.stderr).toContain(`wrote ${viaApi}`);
    expect(first.code).toBe(0);
    // The server answered it: the CLI did not open the directory the server owns.
    expect(await reportRequests(running!.url)).toBe(before + 1);
    const apiTotals = await getCosts(running!.url, { group_by: 'feature', ...range });

    expect(await running!.interrupt()).toBe(0);
    running = undefined;
    const direct = join(outDir, 'direct.csv');
    const second = await runCli([...cliArgs, '--out', direct], dataDir);
    expect(second.code).toBe(0);

    const throughServer = costsOf(readFileSync(viaApi));
    const fromStore = costsOf(readFileSync(direct));
    expect(throughServer.get('TOTAL')).toBe(apiTotals.total_cost_usd);
    expect(fromStore).toEqual(throughServer);
    expect(usd(fromStore.get('TOTAL')!)).toBe(expectedTotal);
    expect(usd(fromStore.get('search')!)).toBe(expected.search);
  });

  it('ends with exit code 2 and a clear message for bad arguments', async () => {
    const backwards = await runCli(['report', 'cost', '--by', 'feature', '--from', range.to, '--to', range.from], dataDir);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain(`from (${new Date(range.to).toISOString()}) must be before to (${new Date(range.from).toISOString()})`);
    const grouping = await runCli(['report', 'cost', '--by', 'team'], dataDir);
    expect(grouping.code).toBe(2);
    expect(grouping.stderr).toContain('--by: must be one of feature, user, model, prompt');
    const option = await runCli(['report', 'cost', '--by', 'feature', '--colour', 'red'], dataDir);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/unknown option '--colour'/);
  });
});
