/**
 * The VS Code extension is a thin client: it will start the Spanlens language
 * server through vscode-languageclient and map settings. A skeleton until the
 * editor issue is taken; it has no `vscode` import yet so that it typechecks
 * without the editor's API types.
 */
export const extensionPackage = { name: 'spanlens-vscode', ready: false } as const;
