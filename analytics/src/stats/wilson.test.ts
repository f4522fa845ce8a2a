import { describe, expect, it } from 'vitest';
import { readReference } from './reference/read-reference';
import { wilsonInterval } from './wilson';

interface WilsonCase {
  positive: number;
  n: number;
  confidence: number;
  rate: number;
  low: number;
  high: number;
}

const reference = readReference<WilsonCase>('wilson.json');

describe('wilsonInterval', () => {
  it(`matches statsmodels proportion_confint(method='wilson') on ${reference.cases.length} cases`, () => {
    for (const { positive, n, confidence, rate, low, high } of reference.cases) {
      const interval = wilsonInterval(positive, n, confidence);
      const label = `${positive}/${n} at ${confidence}`;
      expect(interval.rate, label).toBe(rate);
      expect(Math.abs(interval.low - low), label).toBeLessThan(1e-14);
      expect(Math.abs(interval.high - high), label).toBeLessThan(1e-14);
    }
  });

  it('works 8 of 10 by hand', () => {
    // z = 1.96: centre (0.8 + 0.19208) / 1.38416, half-width 1.96 sqrt(0.016 + 0.009604) / 1.38416.
    const interval = wilsonInterval(8, 10);
    expect(interval.low).toBeCloseTo(0.4902, 4);
    expect(interval.high).toBeCloseTo(0.9433, 4);
  });

  it('has no rate and the whole unit interval with no votes', () => {
    expect(wilsonInterval(0, 0)).toEqual({ rate: null, low: 0, high: 1 });
  });

  it('rejects impossible counts', () => {
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(1, 2, 1)).toThrow(RangeError);
  });
});
