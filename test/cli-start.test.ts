import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, startSpanlensProcess, tempDataDir, type SpanlensProcess } from './support/spanlens-process';

const runCli = (env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'cli/src/main.ts'), 'start'], {
    cwd: repoRoot,
    env: { ...process.env, SPANLENS_DATA_DIR: tempDataDir(), ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });

describe('spanlens start', () => {
  let running: SpanlensProcess | undefined;
  afterAll(async () => {
    await running?.interrupt();
  });

  it('refuses a bad setting at start, naming the key and the variable', () => {
    const result = runCli({ SPANLENS_PORT: 'eighty' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('server.port (from SPANLENS_PORT)');
  });

  it('is live and ready, with Prometheus metrics, on one port', async () => {
    running = await startSpanlensProcess({ dataDir: tempDataDir() });
    expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${running.url}/readyz`);
    expect(ready.status).toBe(200);
    const metrics = await fetch(`${running.url}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    for (const name of ['spanlens_spans_received_total', 'spanlens_spans_rejected_total', 'spanlens_ingest_batch_spans', 'spanlens_ingest_insert_seconds', 'spanlens_http_request_duration_seconds']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    const missing = await fetch(`${running.url}/api/v1/nothing-here`);
    expect(missing.status).toBe(404);
  });

  it('says which port is taken when another process holds it', async () => {
    const port = new URL(running!.url).port;
    const result = runCli({ SPANLENS_PORT: port });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
  });
});
