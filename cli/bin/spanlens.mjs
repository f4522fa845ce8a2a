#!/usr/bin/env node
// The `spanlens` command. It is a bin rather than a root package script so that
// `pnpm spanlens …` runs it through pnpm's exec fallback, which prints nothing
// of its own: a script would get pnpm's `> spanlens@0.1.0 …` banner on stdout,
// which `spanlens lsp --stdio` uses as its protocol channel. The TypeScript
// sources run through tsx's loader, registered here as `node --import tsx` does.
await import('tsx');
await import('../src/main.ts');
