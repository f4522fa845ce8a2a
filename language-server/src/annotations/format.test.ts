import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatPercent, formatUsd } from './format';

describe('formatUsd', () => {
  it.each([
    [0.0000123, '$0.000012'],
    [0.0000005, '<$0.000001'],
    [0.000001, '$0.000001'],
    [0.0042, '$0.0042'],
    [0.00999, '$0.01'],
    [0.042, '$0.042'],
    [0.5, '$0.50'],
    [0.999, '$1.00'],
    [0, '$0.00'],
    [1, '$1.00'],
    [51.7, '$51.70'],
    [99.99, '$99.99'],
    [99.996, '$100'],
    [100, '$100'],
    [1234.5, '$1,235'],
    [12000, '$12,000'],
    [-0.0042, '-$0.0042'],
    [Number.NaN, '$—'],
  ])('%s → %s', (value, text) => expect(formatUsd(value)).toBe(text));
});

describe('formatCount', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [999.6, '1k'],
    [1000, '1k'],
    [12345, '12.3k'],
    [99_949, '99.9k'],
    [123_456, '123k'],
    [999_960, '1M'],
    [1_234_567, '1.2M'],
    [2_500_000_000, '2.5B'],
  ])('%s → %s', (n, text) => expect(formatCount(n)).toBe(text));
});

describe('formatDuration', () => {
  it.each([
    [850, '850ms'],
    [999.4, '999ms'],
    [999.7, '1.0s'],
    [1800, '1.8s'],
    [59_940, '59.9s'],
    [59_970, '1m'],
    [75_000, '1m 15s'],
    [3_599_000, '59m 59s'],
    [3_900_000, '1h 5m'],
  ])('%s → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatPercent', () => {
  it.each([
    [0.913, '91%'],
    [1, '100%'],
    [0, '0%'],
    [0.004, '0.4%'],
    [0.0004, '<0.1%'],
    [0.0095, '1%'],
    [0.012, '1%'],
  ])('%s → %s', (fraction, text) => expect(formatPercent(fraction)).toBe(text));
});
