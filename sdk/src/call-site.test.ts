import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { firstCallSite } from './call-site';
import { lineOfMarker } from './fixtures/tracing';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
const repoRoot = resolve(fixtures, '..', '..', '..');

describe('firstCallSite parses V8 stack frames', () => {
  it('an ES module frame: file URL turned into a path, class method kept qualified', () => {
    const stack = 'Error\n    at SupportBot.reply (file:///srv/app/src/support%20bot.mjs:42:12)\n    at async main (file:///srv/app/src/main.mjs:3:1)';
    expect(firstCallSite(stack)).toEqual({ filePath: '/srv/app/src/support bot.mjs', lineNumber: 42, functionName: 'SupportBot.reply' });
  });

  it('a CommonJS top-level frame has no function name', () => {
    expect(firstCallSite('Error\n    at Object.<anonymous> (/srv/app/index.js:7:3)')).toEqual({ filePath: '/srv/app/index.js', lineNumber: 7 });
  });

  it('an anonymous function has no name; an async frame, an alias and new are cleaned', () => {
    expect(firstCallSite('Error\n    at /srv/app/a.js:1:2')).toEqual({ filePath: '/srv/app/a.js', lineNumber: 1 });
    expect(firstCallSite('Error\n    at async answer (/srv/app/a.js:5:2)')?.functionName).toBe('answer');
    expect(firstCallSite('Error\n    at Router.handle [as handler] (/srv/app/a.js:5:2)')?.functionName).toBe('Router.handle');
    expect(firstCallSite('Error\n    at new Agent (/srv/app/a.js:5:2)')?.functionName).toBe('Agent');
  });

  it('skips Node internals and native frames; a path with parentheses survives', () => {
    const stack = 'Error\n    at node:internal/process/task_queues:95:5\n    at Array.map (native)\n    at run (/srv/my (copy)/a.js:9:1)';
    expect(firstCallSite(stack)).toEqual({ filePath: '/srv/my (copy)/a.js', lineNumber: 9, functionName: 'run' });
  });

  it('a Windows path', () => {
    expect(firstCallSite('Error\n    at reply (C:\\app\\src\\bot.js:12:7)')).toEqual({ filePath: 'C:\\app\\src\\bot.js', lineNumber: 12, functionName: 'reply' });
  });

  it('no frame, no call site', () => {
    expect(firstCallSite('Error')).toBeUndefined();
  });
});

/** Runs a fixture application with Node (tsx only to load the TypeScript sources of this package) and returns its spans' attributes. */
async function runApp(file: string): Promise<Array<Record<string, unknown>>> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(fixtures, file)], { cwd: repoRoot });
  return JSON.parse(stdout) as Array<Record<string, unknown>>;
}

function site(file: string, marker: string, functionName?: string): Record<string, unknown> {
  const path = join(fixtures, file);
  return { 'code.file.path': path, 'code.line.number': lineOfMarker(path, `@site:${marker}`), 'code.function.name': functionName };
}

const codeOf = (attributes: Record<string, unknown>) => ({
  'code.file.path': attributes['code.file.path'],
  'code.line.number': attributes['code.line.number'],
  'code.function.name': attributes['code.function.name'],
});

describe('the call site of a real application', () => {
  it('an ES module: class method, named function, anonymous arrow', async () => {
    const spans = await runApp('esm-app.mjs');
    expect(spans.map(codeOf)).toEqual([
      site('esm-app.mjs', 'esm-method', 'SupportBot.reply'),
      site('esm-app.mjs', 'esm-named', 'summarise'),
      site('esm-app.mjs', 'esm-arrow'),
    ]);
  });

  it('a CommonJS module: class method, named function, anonymous arrow', async () => {
    const spans = await runApp('cjs-app.cjs');
    expect(spans.map(codeOf)).toEqual([
      site('cjs-app.cjs', 'cjs-method', 'SupportBot.reply'),
      site('cjs-app.cjs', 'cjs-named', 'summarise'),
      site('cjs-app.cjs', 'cjs-arrow'),
    ]);
  });

  it('TypeScript run by tsx: the line in the .ts source, through its source map', async () => {
    const spans = await runApp('ts-app.ts');
    expect(spans.map(codeOf)).toEqual([site('ts-app.ts', 'ts-method', 'SupportBot.reply')]);
  });
});
