import type { Command } from 'commander';

/**
 * `spanlens lsp --stdio`: the language server the VS Code extension bundles,
 * for any LSP editor. stdout carries only JSON-RPC, so nothing else may print
 * there; `pnpm spanlens lsp --stdio` runs the `spanlens` bin through pnpm's
 * exec fallback, which prints no script banner (see cli/bin/spanlens.mjs).
 */
export function registerLspCommand(program: Command): void {
  program
    .command('lsp')
    .description('run the Spanlens language server (for editors); settings from the client, else SPANLENS_API_URL / SPANLENS_API_KEY')
    .option('--stdio', 'talk LSP over stdin/stdout (the only transport)')
    .action(async (options: { stdio?: boolean }) => {
      if (!options.stdio) throw new Error('lsp: pass --stdio (the language server talks LSP over stdin/stdout)');
      // Loaded only here, so other commands do not pay for the LSP libraries.
      await import('@spanlens/language-server/stdio');
    });
}
