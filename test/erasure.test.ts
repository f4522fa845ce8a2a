import { describe, expect, it } from 'vitest';
import { runSpanlensCli } from './support/cli';
import { storeDump } from './support/distributed';
import { newTraceId, otlpJsonRequest, postOtlpJson, type JsonSpanInput } from './support/otlp-json';
import { killedAfterEach, startSpanlensProcess, tempDataDir } from './support/spanlens-process';

const track = killedAfterEach();

/** gpt-4o-mini at $0.15 / $0.60 per million tokens: 1000 in + 100 out = $0.00021 a call. */
function calls(user: string, count: number, traceIds: string[]): JsonSpanInput[] {
  return Array.from({ length: count }, (_, i) => {
    const traceId = newTraceId();
    traceIds.push(traceId);
    return {
      traceId,
      startMs: Date.now() - 2 * 3_600_000 - i * 60_000,
      attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 1000, 'gen_ai.usage.output_tokens': 100, 'spanlens.feature': 'support', 'user.id': user },
    };
  });
}

describe('spanlens erase --user', () => {
  it('erases through the running server, then on the store when it is stopped; reports and costs no longer show the user', async () => {
    const dataDir = tempDataDir();
    const spanlens = await track(startSpanlensProcess({ dataDir }));
    // Pia's id is her e-mail address: the collector stores a pseudonym in its place.
    const traces: Record<string, string[]> = { 'mia.k': [], 'noah-77': [], olga: [], 'Pia.Meyer@example.net': [] };
    const spans = [...calls('mia.k', 3, traces['mia.k']!), ...calls('noah-77', 2, traces['noah-77']!), ...calls('olga', 4, traces.olga!), ...calls('Pia.Meyer@example.net', 2, traces['Pia.Meyer@example.net']!)];
    expect((await postOtlpJson(spanlens.url, otlpJsonRequest(spans))).status).toBe(200);
    const feedback = Object.entries(traces).map(([user, ids]) => ({ trace_id: ids[0], user_id: user, score: 1, comment: `thanks, ${user}`, created_at: new Date(Date.now() - 3_600_000).toISOString() }));
    expect((await fetch(`${spanlens.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(feedback) })).status).toBe(200);
    // Bad requests are refused, naming what was wrong, and erase nothing.
    const post = (body: string) => fetch(`${spanlens.url}/api/v1/erasure`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const malformed = await post('{"user_id": "mia.k"');
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as { message: string }).message).toMatch(/^request body: not valid JSON/);
    const empty = await post('{"user_id": ""}');
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { message: string }).message).toMatch(/^user_id: /);
    const env = { SPANLENS_DATA_DIR: dataDir, SPANLENS_LOG_LEVEL: 'silent' };
    for (const job of ['rollup', 'satisfaction', 'drift', 'digest']) expect((await runSpanlensCli(['jobs', 'run', job], env)).status, job).toBe(0);
    const byUser = async () => Object.fromEntries(((await (await fetch(`${spanlens.url}/api/v1/costs?group_by=user`)).json()) as { rows: Array<{ key: string; calls: number; cost_usd: number }> }).rows.map((row) => [row.key, [row.calls, row.cost_usd]]));
    const pseudonyms = Object.keys(await byUser()).filter((key) => key.startsWith('[EMAIL:'));
    expect(pseudonyms).toHaveLength(1);
    expect(pseudonyms[0]).toMatch(/^\[EMAIL:[a-p]{12}\]$/);
    expect((await byUser())[pseudonyms[0]!]).toEqual([2, 0.00042]);
    const satisfaction = async () => ((await (await fetch(`${spanlens.url}/api/v1/satisfaction?dimension=feature`)).json()) as { rows: Array<{ key: string; votes: number }> }).rows.map((row) => [row.key, row.votes]);
    expect(await satisfaction()).toEqual([['support', 4]]);

    const erased = await runSpanlensCli(['erase', '--user', 'mia.k', '--json'], env);
    expect(erased.status, erased.stderr).toBe(0);
    expect(JSON.parse(erased.stdout)).toMatchObject({ spans_deleted: 3, feedback_deleted: 1 });

    // Asked for by her address, in any case: found under its pseudonym.
    const pia = await runSpanlensCli(['erase', '--user', 'pia.meyer@example.net', '--json'], env);
    expect(pia.status, pia.stderr).toBe(0);
    expect(JSON.parse(pia.stdout)).toMatchObject({ spans_deleted: 2, feedback_deleted: 1 });

    expect(await byUser()).toEqual({ 'noah-77': [2, 0.00042], olga: [4, 0.00084] });
    // The current satisfaction window is computed again without their votes.
    expect(await satisfaction()).toEqual([['support', 2]]);
    const now = new Date();
    const from = new Date(now.getTime() - 24 * 3_600_000).toISOString();
    const csv = await (await fetch(`${spanlens.url}/api/v1/reports/cost?by=user&from=${from}&to=${now.toISOString()}&format=csv`)).text();
    expect(csv).not.toContain('mia.k');
    expect(csv).toContain('olga');

    expect(await spanlens.interrupt()).toBe(0);
    const offline = await runSpanlensCli(['erase', '--user', 'noah-77'], env);
    expect(offline.status, offline.stderr).toBe(0);
    expect(offline.stdout).toMatch(/^erased: 2 spans, 1 feedback items, 0 alert rows; rebuilt \d+ rollup hours and \d+ days/);

    const dump = await storeDump(dataDir, 'spanlens');
    expect(dump).not.toContain('mia.k');
    expect(dump.toLowerCase()).not.toContain('pia.meyer');
    expect(dump).not.toContain(pseudonyms[0]);
    expect(dump).not.toContain('noah-77');
    expect(dump).toContain('olga');
    expect(dump).toMatch(/"requested_by":"api"/);
    expect(dump).toMatch(/"requested_by":"local-cli"/);
  }, 180_000);
});
