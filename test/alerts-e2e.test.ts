import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../alerts/src/notifiers/test-receiver';
import { runSpanlensCli } from './support/cli';
import { otlpJsonRequest, postOtlpJson } from './support/otlp-json';
import { startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';
import { waitFor as waitUntil } from './support/wait';

// A call priced at $12 trips the shipped `expensive-call` rule (any single
// call over $10 in a 5-minute window). The span is dated 4 min 45 s ago, so
// it leaves the window about 15 s later and the alert resolves by itself.
// The test then checks each message against its service's documented format.

let spanlens: SpanlensProcess | undefined;
const receivers: TestReceiver[] = [];
afterEach(async () => {
  await spanlens?.kill9().catch(() => undefined);
  spanlens = undefined;
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

const waitFor = (what: string, condition: () => boolean, timeoutMs: number) =>
  waitUntil(what, condition, timeoutMs, () => `server log:\n${spanlens?.log().split('\n').filter((line) => /alert|error|warn/i.test(line)).slice(-15).join('\n')}`);

describe('alerts end to end', () => {
  it('pages Slack, PagerDuty and a signed webhook once when a default rule fires, and once more when it resolves', async () => {
    const ok = (res: import('node:http').ServerResponse) => {
      res.statusCode = 200;
      res.end('ok');
    };
    const [slack, pagerduty, webhook] = await Promise.all([startReceiver(ok), startReceiver(ok), startReceiver(ok)]);
    receivers.push(slack!, pagerduty!, webhook!);
    const dir = mkdtempSync(join(tmpdir(), 'spanlens-alerts-e2e-'));
    const config = join(dir, 'spanlens.yaml');
    writeFileSync(
      config,
      [
        'pricing:',
        '  models:',
        '    - model: gold-model',
        '      per_call_usd: 12',
        'alerts:',
        '  evaluation_interval_ms: 1000',
        '  dashboard_url: http://127.0.0.1:4318/',
        '  channels:',
        `    team-slack: { type: slack, url: "${slack!.url}/services/T000/B000/XXXX" }`,
        `    oncall: { type: pagerduty, routing_key: R0UT1NGKEY0000000000000000000000, url: "${pagerduty!.url}/v2/enqueue" }`,
        `    audit: { type: webhook, url: "${webhook!.url}/hook", secret: s3cr3t }`,
      ].join('\n'),
    );
    spanlens = await startSpanlensProcess({ dataDir: tempDataDir(), env: { SPANLENS_CONFIG: config } });
    const request = otlpJsonRequest([
      { startMs: Date.now() - 285_000, durationMs: 2_000, attributes: { 'gen_ai.provider.name': 'acme', 'gen_ai.request.model': 'gold-model', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 10, 'spanlens.feature': 'vip' } },
      // Ordinary traffic goes on: without any call in the window the rule
      // would have no data, which holds a firing alert rather than resolving it.
      { startMs: Date.now(), durationMs: 800, attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o-mini', 'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 10, 'spanlens.feature': 'vip' } },
    ]);
    expect((await postOtlpJson(spanlens.url, request)).status).toBe(200);

    await waitFor('the firing notifications', () => slack!.requests.length >= 1 && pagerduty!.requests.length >= 1 && webhook!.requests.length >= 1, 30_000);
    await waitFor('the resolve notifications', () => slack!.requests.length >= 2 && pagerduty!.requests.length >= 2 && webhook!.requests.length >= 2, 60_000);
    // Several more evaluations: nothing is repeated.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect([slack!.requests.length, pagerduty!.requests.length, webhook!.requests.length]).toEqual([2, 2, 2]);

    // PagerDuty Events API v2: a trigger and a resolve with one dedup_key.
    const [trigger, resolve] = pagerduty!.requests.map((r) => JSON.parse(r.body));
    expect(pagerduty!.requests[0]!.path).toMatch(/\/v2\/enqueue$/);
    expect(pagerduty!.requests[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect(trigger).toMatchObject({
      routing_key: 'R0UT1NGKEY0000000000000000000000',
      event_action: 'trigger',
      dedup_key: expect.any(String),
      payload: { summary: expect.stringContaining('$12'), source: expect.any(String), severity: 'warning' },
    });
    expect(trigger.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(resolve).toEqual({ routing_key: 'R0UT1NGKEY0000000000000000000000', event_action: 'resolve', dedup_key: trigger.dedup_key });

    // Slack incoming webhook: a text fallback and blocks.
    const [slackFiring, slackResolved] = slack!.requests.map((r) => JSON.parse(r.body));
    expect(typeof slackFiring.text).toBe('string');
    expect(slackFiring.text).toContain('expensive-call');
    expect(Array.isArray(slackFiring.blocks)).toBe(true);
    for (const block of slackFiring.blocks) expect(['header', 'section', 'context', 'actions', 'divider']).toContain(block.type);
    expect(JSON.stringify(slackFiring.blocks)).toContain('vip');
    expect(slackResolved.text).toMatch(/resolved/i);

    // Webhook: the Alertmanager webhook payload, signed with HMAC-SHA256 of the raw body.
    for (const [i, status] of [[0, 'firing'], [1, 'resolved']] as const) {
      const received = webhook!.requests[i]!;
      const expected = `sha256=${createHmac('sha256', 's3cr3t').update(received.body).digest('hex')}`;
      expect(received.headers['x-spanlens-signature']).toBe(expected);
      const body = JSON.parse(received.body);
      expect(body).toMatchObject({ version: '4', status, receiver: 'audit', alerts: [{ status, labels: { alertname: 'expensive-call', feature: 'vip', model: 'gold-model', severity: 'warning' } }] });
      expect(typeof body.groupKey).toBe('string');
      expect(body.alerts[0].startsAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }

    // The API shows it among recent alerts, resolved.
    const alerts = (await (await fetch(`${spanlens.url}/api/v1/alerts`)).json()) as { recent: Array<{ rule: string; labels: Record<string, string>; resolved_at: string | null }> };
    expect(alerts.recent).toEqual([expect.objectContaining({ rule: 'expensive-call', labels: { feature: 'vip', model: 'gold-model' }, resolved_at: expect.any(String) })]);
  }, 150_000);

  it('`alerts test` says what a rule file would fire on stored data, and names a bad rule and its field', async () => {
    const dataDir = tempDataDir();
    spanlens = await startSpanlensProcess({ dataDir });
    const calls = Array.from({ length: 4 }, (_, i) => ({
      startMs: Date.now() - 60_000 + i,
      attributes: { 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'gen_ai.usage.input_tokens': 10, 'gen_ai.usage.output_tokens': 5, 'spanlens.feature': i < 3 ? 'search' : 'chat' },
    }));
    expect((await postOtlpJson(spanlens.url, otlpJsonRequest(calls))).status).toBe(200);
    expect(await spanlens.interrupt()).toBe(0);
    spanlens = undefined;

    const file = join(mkdtempSync(join(tmpdir(), 'spanlens-rules-')), 'team.yaml');
    writeFileSync(
      file,
      [
        'rules:',
        '  - name: busy-feature',
        '    metric: calls',
        '    group_by: [feature]',
        '    window: 1h',
        '    condition: "> 2"',
        '    annotations: { summary: "{{ labels.feature }} is busy", description: "{{ value }} calls" }',
        '  - name: typo',
        '    metric: callz',
        '    window: 1h',
        '    condition: "> 1"',
        '    annotations: { summary: "x", description: "y" }',
      ].join('\n'),
    );
    const result = await runSpanlensCli(['alerts', 'test', file], { SPANLENS_DATA_DIR: dataDir, SPANLENS_LOG_LEVEL: 'silent' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('busy-feature {feature=search}: would fire: value 3');
    expect(result.stdout).not.toContain('feature=chat');
    expect(result.stdout).toMatch(/invalid: .*team\.yaml: rule "typo": metric: /);
  });
});

