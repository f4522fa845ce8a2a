import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The browser code needs DOM types, which the workspace's Node-only
// typecheck leaves out, so it has its own project (analytics/web/tsconfig.json).
describe('the dashboard\'s browser code', () => {
  it('typechecks against the DOM and the API\'s own types', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    const project = fileURLToPath(new URL('../../web/tsconfig.json', import.meta.url));
    const run = () => execFileSync(process.execPath, [tsc, '-p', project, '--noEmit'], { encoding: 'utf8' });
    expect(run).not.toThrow();
  }, 120_000);
});
