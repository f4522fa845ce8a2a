/**
 * Bundles the extension and the language server into dist/, so the .vsix
 * needs no node_modules and no download: `dist/extension.js` (loaded by VS
 * Code, `vscode` left external) and `dist/server.js` (the language server
 * from language-server/src/main.ts, started by the extension over stdio).
 *
 *   pnpm --filter spanlens-vscode build
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const extensionRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(extensionRoot, '..');

/**
 * Core's pricing code reads the version of `@pydantic/genai-prices` from the
 * package's package.json at run time, which a bundle does not have; it
 * prefers the build-time constant `SPANLENS_GENAI_PRICES_VERSION`, so the
 * version is read here, from the copy core itself resolves.
 */
function genaiPricesVersion(): string {
  const requireFromCore = createRequire(join(repoRoot, 'core', 'src', 'pricing', 'catalog-version.ts'));
  const entry = requireFromCore.resolve('@pydantic/genai-prices');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { name: string; version: string };
  if (manifest.name !== '@pydantic/genai-prices') throw new Error(`expected @pydantic/genai-prices next to ${entry}, found ${manifest.name}`);
  return manifest.version;
}

/**
 * Both bundles are CommonJS (VS Code loads extensions with require, and the
 * server runs from the same folder, whose package.json has no "type").
 * `import.meta.url` has no CommonJS equivalent, so any use of it in bundled
 * ESM sources gets the bundle file's own URL.
 */
const common: BuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: false,
  minify: true,
  keepNames: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define: { 'import.meta.url': '__spanlensImportMetaUrl' },
  banner: { js: 'var __spanlensImportMetaUrl = require("url").pathToFileURL(__filename).href;' },
};

await Promise.all([
  build({
    ...common,
    entryPoints: [join(extensionRoot, 'src', 'extension.ts')],
    outfile: join(extensionRoot, 'dist', 'extension.js'),
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: [join(repoRoot, 'language-server', 'src', 'main.ts')],
    outfile: join(extensionRoot, 'dist', 'server.js'),
    define: { ...common.define, SPANLENS_GENAI_PRICES_VERSION: JSON.stringify(genaiPricesVersion()) },
  }),
]);
console.log(`bundled ${join('dist', 'extension.js')} and ${join('dist', 'server.js')}`);
