import { describe, expect, it } from 'vitest';
import { wellFormed, wellFormedJson } from './well-formed';

describe('wellFormed', () => {
  it('replaces lone surrogates with U+FFFD and keeps pairs and everything else', () => {
    expect(wellFormed('a\ud800b')).toBe('a\ufffdb');
    expect(wellFormed('a\udc00b\ud83d')).toBe('a\ufffdb\ufffd');
    expect(wellFormed('\udc00\ud800')).toBe('\ufffd\ufffd');
    expect(wellFormed('rocket 🚀, «ticket», \\ud800 as text')).toBe('rocket 🚀, «ticket», \\ud800 as text');
  });

  it('writes a row with every string well formed, map keys included, and the same JSON as JSON.stringify otherwise', () => {
    const clean = ['x', { key: 'value 🚀' }, ['a'], 1, null, '\\ud800 typed out'];
    expect(wellFormedJson(clean)).toBe(JSON.stringify(clean));
    const row = ['lone \ud800', { 'k\udc00': 'v\ud83d', fine: 'ok' }, ['\ud800'], 2];
    expect(JSON.parse(wellFormedJson(row))).toEqual(['lone \ufffd', { 'k\ufffd': 'v\ufffd', fine: 'ok' }, ['\ufffd'], 2]);
    expect(wellFormedJson(row)).not.toMatch(/\\ud[89a-f]/);
  });
});
