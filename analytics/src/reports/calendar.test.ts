import { describe, expect, it } from 'vitest';
import { bucketsOf, monthsOf, overTimeUnit, prorateMonthly } from './calendar';

const t = (iso: string) => Date.parse(iso);

describe('report calendar', () => {
  it('cuts a range into the calendar months it touches', () => {
    const months = monthsOf(t('2026-10-31T00:00:00Z'), t('2026-12-01T00:00:00Z'));
    expect(months.map((m) => [m.month, m.days, m.daysInMonth, m.complete])).toEqual([
      ['2026-10', 1, 31, false],
      ['2026-11', 30, 30, true],
    ]);
    expect(monthsOf(t('2028-02-10T12:00:00Z'), t('2028-02-11T00:00:00Z')).map((m) => [m.month, m.days, m.daysInMonth])).toEqual([['2028-02', 0.5, 29]]);
  });

  it('prorates a monthly amount by the days of each month inside the range', () => {
    // 1 of October's 31 days and 2 of November's 30: 930/31 + 2 × 930/30.
    expect(prorateMonthly(930, t('2026-10-31T00:00:00Z'), t('2026-11-03T00:00:00Z'))).toBe(30 + 62);
    expect(prorateMonthly(100, t('2026-01-01T00:00:00Z'), t('2027-01-01T00:00:00Z'))).toBeCloseTo(1200, 9);
    expect(prorateMonthly(280, t('2027-02-01T00:00:00Z'), t('2027-02-08T00:00:00Z'))).toBe(70);
  });

  it('uses hours up to two days and days beyond, buckets cut to the range', () => {
    expect(overTimeUnit(t('2026-11-01T00:00:00Z'), t('2026-11-03T00:00:00Z'))).toBe('hour');
    expect(overTimeUnit(t('2026-11-01T00:00:00Z'), t('2026-11-03T00:00:01Z'))).toBe('day');
    const days = bucketsOf(t('2026-11-01T06:00:00Z'), t('2026-11-03T00:00:00Z'), 'day');
    expect(days.map((b) => [new Date(b.start).toISOString(), new Date(b.from).toISOString()])).toEqual([
      ['2026-11-01T00:00:00.000Z', '2026-11-01T06:00:00.000Z'],
      ['2026-11-02T00:00:00.000Z', '2026-11-02T00:00:00.000Z'],
    ]);
    expect(bucketsOf(t('2026-11-01T00:30:00Z'), t('2026-11-01T03:00:00Z'), 'hour')).toHaveLength(3);
  });
});
