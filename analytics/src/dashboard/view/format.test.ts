import { describe, expect, it } from 'vitest';
import { formatChange, formatCount, formatMs, formatPercent, formatUsd } from './format';

describe('figures as the dashboard writes them', () => {
  it('writes money with enough places for per-call costs', () => {
    expect(formatUsd(1234.5)).toBe('$1,234.50');
    expect(formatUsd(0.0042)).toBe('$0.0042');
    expect(formatUsd(0.1234)).toBe('$0.1234');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(-2)).toBe('−$2.00');
    expect(formatUsd(null)).toBe('—');
  });
  it('writes counts, shares and times compactly', () => {
    expect(formatCount(12_345)).toBe('12.3k');
    expect(formatCount(999)).toBe('999');
    expect(formatPercent(0.1234)).toBe('12.3%');
    expect(formatPercent(null)).toBe('—');
    expect(formatPercent(0.00047)).toBe('0.047%');
    expect(formatPercent(0)).toBe('0.0%');
    expect(formatMs(1834)).toBe('1.83 s');
    expect(formatMs(240.4)).toBe('240 ms');
  });
  it('writes a change against the previous period, "new" from nothing', () => {
    expect(formatChange(120, 100)).toEqual({ text: '+20.0%', direction: 'up' });
    expect(formatChange(50, 100)).toEqual({ text: '−50.0%', direction: 'down' });
    expect(formatChange(5, 0)).toEqual({ text: 'new', direction: 'up' });
    expect(formatChange(0, 0)).toEqual({ text: '±0%', direction: 'flat' });
  });
});
