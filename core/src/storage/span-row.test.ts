import { describe, expect, it } from 'vitest';
import { hourOfNs, nsToDateTime64, spanColumns, spanRow } from './span-row';
import { makeSpan } from './test-spans';

describe('nsToDateTime64', () => {
  it('writes nanoseconds as decimal seconds without losing a digit', () => {
    expect(nsToDateTime64('1732280000123456789')).toBe('1732280000.123456789');
    expect(nsToDateTime64('1732280000000000001')).toBe('1732280000.000000001');
    expect(nsToDateTime64('999999999')).toBe('0.999999999');
    expect(nsToDateTime64('0')).toBe('0.000000000');
  });
});

describe('hourOfNs', () => {
  it('floors to the UTC hour in epoch seconds', () => {
    // 2024-11-22T12:53:20.123456789Z is in the hour starting 12:00:00 = 1732276800.
    expect(hourOfNs('1732280000123456789')).toBe(1_732_276_800);
    expect(hourOfNs('1732276800000000000')).toBe(1_732_276_800);
    expect(hourOfNs('1732276799999999999')).toBe(1_732_273_200);
    expect(hourOfNs('5')).toBe(0);
  });
});

describe('spanRow', () => {
  it('has one value per column, in column order', () => {
    const span = makeSpan({ feature: 'summarise', cost_usd: null });
    const row = spanRow(span);
    expect(row).toHaveLength(spanColumns.length);
    expect(row[spanColumns.indexOf('feature')]).toBe('summarise');
    expect(row[spanColumns.indexOf('cost_usd')]).toBeNull();
    expect(row[spanColumns.indexOf('start_time')]).toBe('1732280000.123456789');
  });
});
