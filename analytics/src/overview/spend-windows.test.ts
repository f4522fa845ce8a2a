import { describe, expect, it } from 'vitest';
import { spendWindows } from './spend-windows';

describe('spendWindows', () => {
  it('compares today with yesterday up to the same time, and 7 / 30 days with the days before', () => {
    const [today, week, month] = spendWindows(new Date('2026-11-22T15:30:00Z'));
    expect(today).toEqual({ window: 'today', from: '2026-11-22T00:00:00.000Z', to: '2026-11-22T15:30:00.000Z', previous_from: '2026-11-21T00:00:00.000Z', previous_to: '2026-11-21T15:30:00.000Z' });
    expect(week).toEqual({ window: '7d', from: '2026-11-15T15:30:00.000Z', to: '2026-11-22T15:30:00.000Z', previous_from: '2026-11-08T15:30:00.000Z', previous_to: '2026-11-15T15:30:00.000Z' });
    expect(month?.previous_from).toBe('2026-09-23T15:30:00.000Z');
  });

  it('has an empty today at exactly midnight rather than a whole day', () => {
    const [today] = spendWindows(new Date('2026-11-22T00:00:00Z'));
    expect(today?.from).toBe(today?.to);
  });
});
