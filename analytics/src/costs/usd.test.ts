import { describe, expect, it } from 'vitest';
import { parsePicoUsd, picoToUsd } from './usd';

describe('parsePicoUsd', () => {
  it('reads decimal text exactly', () => {
    expect(parsePicoUsd('0.3')).toBe(300_000_000_000n);
    expect(parsePicoUsd('12.000000000001')).toBe(12_000_000_000_001n);
    expect(parsePicoUsd('0')).toBe(0n);
    expect(parsePicoUsd('-1.5')).toBe(-1_500_000_000_000n);
  });

  it('refuses what is not a decimal', () => {
    expect(() => parsePicoUsd('1e-7')).toThrow(/not a decimal/);
  });
});

describe('picoToUsd', () => {
  it('rounds to a nanodollar and prints like the decimal', () => {
    expect(picoToUsd(parsePicoUsd('0.1') + parsePicoUsd('0.2'))).toBe(0.3);
    expect(picoToUsd(1_499n)).toBe(0.000000001);
    expect(picoToUsd(499n)).toBe(0);
    expect(picoToUsd(parsePicoUsd('123.456789012345'))).toBe(123.456789012);
    expect(picoToUsd(-2_500n)).toBe(-0.000000003);
  });
});
