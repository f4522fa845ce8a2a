import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/**
 * The installed `@pydantic/genai-prices` version: the price table a span was
 * priced with. A bundle (the language server inside the VS Code extension)
 * has no package to read, so it defines `SPANLENS_GENAI_PRICES_VERSION` at
 * build time instead.
 */
declare const SPANLENS_GENAI_PRICES_VERSION: string | undefined;

export function genaiPricesVersion(): string {
  if (cached) return cached;
  if (typeof SPANLENS_GENAI_PRICES_VERSION === 'string') return (cached = SPANLENS_GENAI_PRICES_VERSION);
  const require = createRequire(import.meta.url);
  // The package's export map hides package.json, so it is read next to the entry point.
  const entry = require.resolve('@pydantic/genai-prices');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  cached = manifest.version;
  return cached;
}
