import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it, onTestFinished } from 'vitest';
import { repoRoot } from './support/spanlens-process';

const run = promisify(execFile);

/*
 * An application outside this repository gets the SDK the way the README
 * says: `pnpm --filter @spanlens/sdk pack`, then `npm install` of the
 * tarball. npm installs offline, from tarballs packed out of this
 * repository's pnpm store (@opentelemetry/api, the one peer the SDK needs,
 * and the OpenTelemetry SDK whose in-memory exporter the app reads its spans
 * from), with an empty npm cache, so nothing can come from a registry. The
 * app is plain JavaScript run by plain `node`: no tsx, no loader.
 */

// A fake OpenAI client's chat completion: 120 prompt tokens (20 of them cached), 30 completion tokens.
const appSource = (moduleKind: 'esm' | 'cjs') => {
  const imports =
    moduleKind === 'esm'
      ? [
          "import { trace } from '@opentelemetry/api';",
          "import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';",
          "import { traceLlmCall } from '@spanlens/sdk';",
        ]
      : [
          "const { trace } = require('@opentelemetry/api');",
          "const { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } = require('@opentelemetry/sdk-trace');",
          "const { traceLlmCall } = require('@spanlens/sdk');",
        ];
  return [
    ...imports,
    'const exporter = new InMemorySpanExporter();',
    'trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));',
    "const completion = { id: 'chatcmpl-outside', object: 'chat.completion', model: 'gpt-4o-mini-2024-07-18', choices: [{ index: 0, message: { role: 'assistant', content: 'Refund sent.' }, finish_reason: 'stop' }], usage: { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150, prompt_tokens_details: { cached_tokens: 20 } } };",
    'const openai = { chat: { completions: { create: async () => completion } } };',
    'async function suggestReply(ticket) {',
    "  const request = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: ticket }] };",
    "  return traceLlmCall({ promptId: 'support-reply', promptVersion: 4, feature: 'support' }, request, (r) => openai.chat.completions.create(r)); // @site",
    '}',
    "suggestReply('Where is my refund?').then((reply) => {",
    '  const spans = exporter.getFinishedSpans().map((span) => ({ name: span.name, kind: span.kind, scope: span.instrumentationScope, attributes: span.attributes }));',
    '  console.log(JSON.stringify({ content: reply.choices[0].message.content, spans }));',
    '});',
    '',
  ].join('\n');
};

/** A package's folder as Node would find it from `fromDir` (pnpm's store keeps a package's dependencies beside it). */
function packageDir(name: string, fromDir: string): string {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    if (dirname(dir) === dir) throw new Error(`${name} not found from ${fromDir}`);
  }
}

/** The folders of `names` and everything they depend on, from this repository's store. */
function dependencyClosure(names: readonly string[], fromDir: string): string[] {
  const found = new Map<string, string>();
  const visit = (name: string, from: string) => {
    if (found.has(name)) return;
    const dir = packageDir(name, from);
    found.set(name, dir);
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies ?? {})) visit(dependency, dir);
  };
  for (const name of names) visit(name, fromDir);
  return [...found.values()];
}

describe('the SDK packed as a tarball, installed into an app outside the repository', () => {
  it('imports with plain node (ES module and CommonJS) and makes the GenAI span with call site and prompt', async () => {
    const app = realpathSync(mkdtempSync(join(tmpdir(), 'spanlens-sdk-app-')));
    onTestFinished(() => rmSync(app, { recursive: true, force: true }));
    expect(app.startsWith(repoRoot)).toBe(false);
    const tarballs = join(app, 'tarballs');
    mkdirSync(tarballs);

    await run('pnpm', ['--filter', '@spanlens/sdk', 'pack', '--pack-destination', tarballs], { cwd: repoRoot, timeout: 120_000 });
    const sdkTarball = readdirSync(tarballs).find((file) => file.startsWith('spanlens-sdk-'));
    expect(sdkTarball).toBe('spanlens-sdk-0.1.0.tgz');
    const packed = JSON.parse((await run('tar', ['-xzOf', join(tarballs, sdkTarball!), 'package/package.json'])).stdout) as Record<string, unknown>;
    expect(packed).toMatchObject({ exports: { '.': { import: { default: './dist/index.js', types: './dist/index.d.ts' }, require: { default: './dist/cjs/index.js' } } }, peerDependencies: { '@opentelemetry/api': '^1.9.0' } });
    expect(packed).not.toHaveProperty('private');
    expect(packed).not.toHaveProperty('dependencies');

    // pnpm's store hard-links files of equal content (a package's node and
    // browser entry points, say); npm packs those as tar hard links, which
    // its own installer drops. A copy has plain files.
    for (const [i, dir] of dependencyClosure(['@opentelemetry/api', '@opentelemetry/sdk-trace'], join(repoRoot, 'sdk')).entries()) {
      const copy = join(app, 'store-copies', String(i));
      cpSync(dir, copy, { recursive: true });
      await run('npm', ['pack', copy, '--ignore-scripts', '--silent', '--pack-destination', tarballs], { cwd: app, timeout: 60_000 });
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'outside-app', version: '1.0.0', private: true }));
    const install = ['install', '--offline', '--cache', join(app, 'npm-cache'), '--no-audit', '--no-fund', '--ignore-scripts', ...readdirSync(tarballs).map((file) => join(tarballs, file))];
    await run('npm', install, { cwd: app, timeout: 120_000 });
    expect(existsSync(join(app, 'node_modules', '@spanlens', 'sdk', 'dist', 'index.d.ts'))).toBe(true);

    for (const [file, kind] of [['app.mjs', 'esm'], ['app.cjs', 'cjs']] as const) {
      const source = appSource(kind);
      writeFileSync(join(app, file), source);
      const env = { ...process.env };
      delete env.NODE_OPTIONS;
      const { stdout } = await run(process.execPath, [file], { cwd: app, env, timeout: 30_000 });
      const { content, spans } = JSON.parse(stdout) as { content: string; spans: Array<{ name: string; kind: number; scope: { name: string; version?: string }; attributes: Record<string, unknown> }> };
      expect(content).toBe('Refund sent.');
      expect(spans).toHaveLength(1);
      expect(spans[0]!.name).toBe('chat gpt-4o-mini');
      expect(spans[0]!.kind).toBe(2); // SpanKind.CLIENT
      expect(spans[0]!.scope).toMatchObject({ name: '@spanlens/sdk', version: '0.1.0' });
      expect(spans[0]!.attributes, file).toEqual({
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.provider.name': 'openai',
        'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
        'gen_ai.response.id': 'chatcmpl-outside',
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
        'gen_ai.usage.cache_read.input_tokens': 20,
        'spanlens.prompt.id': 'support-reply',
        'spanlens.prompt.version': '4',
        'spanlens.feature': 'support',
        'code.file.path': join(app, file),
        'code.line.number': source.split('\n').findIndex((line) => line.includes('// @site')) + 1,
        'code.function.name': 'suggestReply',
      });
    }
  }, 300_000);
});
