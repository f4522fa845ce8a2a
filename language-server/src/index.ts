/**
 * The Spanlens language server (LSP over stdio): finds LLM call sites and
 * prompt templates in source and annotates them with live cost and quality
 * read from the HTTP API. A skeleton until the editor issue is taken.
 */
export const languageServerPackage = { name: '@spanlens/language-server', ready: false } as const;
