import { describe, expect, it } from 'vitest';
import { promptMatches, splitPromptKey, vscodeLink } from './editor-link';

describe('vscodeLink', () => {
  it('opens an absolute POSIX path at its line', () => {
    expect(vscodeLink('/srv/app/src/chat.ts:42')).toBe('vscode://file/srv/app/src/chat.ts:42');
  });
  it('gives a Windows path the slash a URL needs, and escapes spaces', () => {
    expect(vscodeLink('C:\\work\\my app\\index.ts:7')).toBe('vscode://file/C:/work/my%20app/index.ts:7');
  });
  it('has no link without a line', () => {
    expect(vscodeLink('src/app.ts')).toBeNull();
  });
});

describe('prompt keys', () => {
  it('matches every version of an id, or one version', () => {
    expect(promptMatches('checkout@2', 'checkout')).toBe(true);
    expect(promptMatches('checkout@2', 'checkout@1')).toBe(false);
    expect(promptMatches('checkout-v2@1', 'checkout')).toBe(false);
    expect(promptMatches('anything', undefined)).toBe(true);
  });
  it('splits at the last @', () => {
    expect(splitPromptKey('team@acme/summary@3')).toEqual({ id: 'team@acme/summary', version: '3' });
    expect(splitPromptKey('plain')).toEqual({ id: 'plain', version: '' });
  });
});
