import { describe, expect, it } from 'vitest';
import { createSeededRandom } from './seeded-random';

describe('createSeededRandom', () => {
  it('repeats its stream for a seed and differs across seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createSeededRandom(seed).uniform);
    expect(draw(1)).toEqual(draw(1));
    expect(draw(1)).not.toEqual(draw(2));
  });

  it('gives standard normal moments', () => {
    const random = createSeededRandom(99);
    const values = Array.from({ length: 20_000 }, random.normal);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (values.length - 1);
    // Standard errors: 0.007 for the mean, 0.01 for the variance.
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
  });

  it('keeps integers in range', () => {
    const random = createSeededRandom(5);
    for (let i = 0; i < 1000; i++) {
      const value = random.integer(7);
      expect(value >= 0 && value < 7 && Number.isInteger(value)).toBe(true);
    }
  });
});
