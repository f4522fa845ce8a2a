import { describe, expect, it } from 'vitest';
import { anyValueToJson, anyValueToString } from './any-value';
import type { OtlpAnyValue } from './types';

describe('anyValueToString', () => {
  it.each<[OtlpAnyValue, string]>([
    [{ type: 'string', value: 'gpt-4o' }, 'gpt-4o'],
    [{ type: 'bool', value: false }, 'false'],
    [{ type: 'int', value: '-9223372036854775808' }, '-9223372036854775808'],
    [{ type: 'double', value: 0.1 }, '0.1'],
    [{ type: 'double', value: -Infinity }, '-Infinity'],
    [{ type: 'bytes', value: 'AQID' }, 'AQID'],
    [{ type: 'empty' }, ''],
    [{ type: 'array', values: [{ type: 'int', value: '9007199254740993' }, { type: 'double', value: NaN }, { type: 'empty' }] }, '[9007199254740993,"NaN",null]'],
    [{ type: 'kvlist', values: [{ key: 'a "quoted" key', value: { type: 'string', value: 'line\nbreak' } }] }, '{"a \\"quoted\\" key":"line\\nbreak"}'],
  ])('writes %j as %s', (value, text) => {
    expect(anyValueToString(value)).toBe(text);
  });

  it('writes JSON that parses back to the same structure', () => {
    const value: OtlpAnyValue = {
      type: 'kvlist',
      values: [
        { key: 'list', value: { type: 'array', values: [{ type: 'bool', value: true }, { type: 'double', value: 1.5 }] } },
        { key: 'n', value: { type: 'int', value: '42' } },
      ],
    };
    expect(JSON.parse(anyValueToJson(value))).toEqual({ list: [true, 1.5], n: 42 });
  });
});
