import { describe, expect, it } from 'vitest';
import { rollupAnswer } from './read-spend';

describe('rollupAnswer', () => {
  it('answers no filter and one feature, model or user filter from the rollup', () => {
    expect(rollupAnswer({})).toEqual({ groupBy: 'model' });
    expect(rollupAnswer({ user: 'u1' })).toEqual({ groupBy: 'user', key: 'u1' });
    expect(rollupAnswer({ feature: '' , model: 'gpt-4o' })).toEqual({ groupBy: 'model', key: 'gpt-4o' });
  });
  it('leaves prompt ids, call sites, providers and combinations to raw spans', () => {
    // A prompt id matches every version and a call site matches by path suffix: no one rollup key says that.
    expect(rollupAnswer({ prompt: 'answer' })).toBeUndefined();
    expect(rollupAnswer({ callsite: 'src/a.ts:3' })).toBeUndefined();
    expect(rollupAnswer({ provider: 'openai' })).toBeUndefined();
    expect(rollupAnswer({ feature: 'search', user: 'u1' })).toBeUndefined();
  });
});
