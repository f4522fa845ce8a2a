import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The browser code's entry point: TypeScript, bundled at run time so that there is no build step. */
export const clientEntry = fileURLToPath(new URL('../../web/main.ts', import.meta.url));

/**
 * Bundles the dashboard's browser code into one ES module. esbuild does this
 * in tens of milliseconds, so the server bundles once, on the first request,
 * and keeps the result; echarts stays a separate, cacheable script.
 */
export async function bundleClient(): Promise<string> {
  const result = await build({
    entryPoints: [clientEntry],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}
