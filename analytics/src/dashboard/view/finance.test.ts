import { describe, expect, it } from 'vitest';
import { featureMargin, reportQuery } from './finance';

describe('finance figures', () => {
  it('is revenue less cost, and unknown without revenue', () => {
    expect(featureMargin(1000, 250.1)).toBe(749.9);
    expect(featureMargin(0.3, 0.1)).toBe(0.2);
    expect(featureMargin(null, 5)).toBeNull();
    expect(featureMargin(undefined, 5)).toBeNull();
  });
  it('asks the report route for the same range', () => {
    const range = { from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') };
    expect(reportQuery('feature', range, 'csv')).toBe('by=feature&from=2026-10-01T00%3A00%3A00.000Z&to=2026-11-01T00%3A00%3A00.000Z&format=csv');
  });
});
