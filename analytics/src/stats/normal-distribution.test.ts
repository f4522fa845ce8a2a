import { describe, expect, it } from 'vitest';
import { normalCdf, normalIsf, normalQuantile, normalSf } from './normal-distribution';
import { readReference } from './reference/read-reference';

interface NormalReference {
  sf: Array<{ z: number; sf: number }>;
  quantile: Array<{ p: number; quantile: number }>;
}

const [reference] = readReference<NormalReference>('normal.json').cases as [NormalReference];

describe('standard normal against scipy.stats.norm', () => {
  it('tail probability to 1e-14 relative, down to 1e-300', () => {
    for (const { z, sf } of reference.sf) {
      expect(Math.abs(normalSf(z) - sf), `z=${z}`).toBeLessThanOrEqual(1e-14 * sf);
    }
  });

  it('quantile to 1e-14 relative', () => {
    for (const { p, quantile } of reference.quantile) {
      expect(Math.abs(normalQuantile(p) - quantile), `p=${p}`).toBeLessThanOrEqual(1e-14 * Math.max(1, Math.abs(quantile)));
    }
  });

  it('knows the familiar values', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalIsf(0.025)).toBeCloseTo(1.959963984540054, 15);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});
