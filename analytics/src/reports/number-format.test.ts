import { describe, expect, it } from 'vitest';
import { chartUsd, displayRatio, displayUsd, plainDecimal } from './number-format';

describe('plainDecimal', () => {
  it('writes what every spreadsheet parses: no exponent, no separators, "." as the mark', () => {
    expect(plainDecimal(0.1 + 0.2)).toBe('0.3');
    expect(plainDecimal(1e-9)).toBe('0.000000001');
    expect(plainDecimal(2.5e-7)).toBe('0.00000025');
    expect(plainDecimal(1234567.5)).toBe('1234567.5');
    expect(plainDecimal(42)).toBe('42');
    expect(plainDecimal(-0)).toBe('0');
    expect(plainDecimal(-3.25)).toBe('-3.25');
    expect(plainDecimal(-1e-12)).toBe('0');
    expect(plainDecimal(2e21)).toBe('2000000000000000000000');
  });

  it('refuses what is not a number', () => {
    expect(() => plainDecimal(Number.NaN)).toThrow(/finite/);
  });
});

describe('display figures', () => {
  it('shows dollars with separators and every significant digit', () => {
    expect(displayUsd(1234.5)).toBe('$1,234.50');
    expect(displayUsd(0.0015)).toBe('$0.0015');
    expect(displayUsd(0)).toBe('$0.00');
    expect(displayUsd(-44.85)).toBe('-$44.85');
    expect(displayUsd(1_000_000)).toBe('$1,000,000.00');
  });

  it('shows ratios as percentages, undefined ones as a dash', () => {
    expect(displayRatio(0.25)).toBe('25.0%');
    expect(displayRatio(-0.0001)).toBe('0.0%');
    expect(displayRatio(0.013043478)).toBe('1.3%');
    expect(displayRatio(null)).toBe('—');
  });

  it('rounds chart labels to what a reader takes in', () => {
    expect(chartUsd(178.437923467)).toBe('$178.44');
    expect(chartUsd(0.0015234)).toBe('$0.0015');
    expect(chartUsd(0)).toBe('$0.00');
    expect(chartUsd(30)).toBe('$30.00');
    expect(chartUsd(0.5)).toBe('$0.50');
  });
});
