import { describe, expect, it } from 'vitest';
import { ksTest, type KsMethod } from './ks-test';
import { decodeNumber, readReference, type EncodedNumber } from './reference/read-reference';
import { createSeededRandom } from './seeded-random';

interface KsCase {
  name: string;
  a: number[];
  b: number[];
  autoMethod: 'exact' | 'asymp';
  results: Partial<Record<KsMethod, { d: number; p: EncodedNumber }>>;
}

const reference = readReference<KsCase>('ks-2samp.json');

// Exact p-values are the same recursion as SciPy's, so they agree to
// rounding; the asymptotic ones go through several approximations in SciPy
// and in the port alike. The brief asks for 1e-6 and 1e-3; the port does far
// better (see the worst-case test below).
const TOLERANCE = { d: 1e-12, exact: 1e-6, asymp: 1e-3 } as const;

describe('ksTest against scipy.stats.ks_2samp', () => {
  for (const testCase of reference.cases) {
    it(testCase.name, () => {
      for (const [method, expected] of Object.entries(testCase.results) as Array<[KsMethod, { d: number; p: EncodedNumber }]>) {
        const result = ksTest(testCase.a, testCase.b, { method });
        const usedMethod = method === 'auto' ? testCase.autoMethod : method;
        expect(result.method, method).toBe(usedMethod);
        expect(result.n1).toBe(testCase.a.length);
        expect(result.n2).toBe(testCase.b.length);
        expect(Math.abs(result.d - expected.d), `${method} D`).toBeLessThan(TOLERANCE.d);
        const p = decodeNumber(expected.p);
        if (Number.isNaN(p)) expect(result.p, `${method} p`).toBeNaN();
        else expect(Math.abs(result.p - p), `${method} p`).toBeLessThan(TOLERANCE[usedMethod]);
      }
    });
  }

  it('agrees far beyond the required tolerance on every case', () => {
    let worstExact = 0;
    let worstAsymp = 0;
    for (const testCase of reference.cases) {
      for (const [method, expected] of Object.entries(testCase.results) as Array<[KsMethod, { d: number; p: EncodedNumber }]>) {
        const p = decodeNumber(expected.p);
        if (Number.isNaN(p)) continue;
        const result = ksTest(testCase.a, testCase.b, { method });
        const error = Math.abs(result.p - p);
        if (result.method === 'exact') worstExact = Math.max(worstExact, error);
        else worstAsymp = Math.max(worstAsymp, error);
      }
    }
    expect(worstExact).toBeLessThan(1e-12);
    expect(worstAsymp).toBeLessThan(1e-10);
  });
});

describe('ksTest edge cases', () => {
  it('gives D = 0 and p = 1 for identical samples', () => {
    const sample = [3, 1, 4, 1, 5, 9, 2, 6];
    expect(ksTest(sample, [...sample])).toEqual({ d: 0, p: 1, method: 'exact', n1: 8, n2: 8 });
  });

  it('gives D = 1 for disjoint samples, with the exact p of 2 / C(n1 + n2, n1)', () => {
    const result = ksTest([1, 2, 3], [10, 11, 12, 13]);
    expect(result.d).toBe(1);
    expect(result.p).toBeCloseTo(2 / 35, 15);
  });

  it('reads ties on the right, as numpy searchsorted does', () => {
    // F_a jumps to 1 at 1; F_b is 1/2 there and reaches 1 at 2, so D = 1/2.
    expect(ksTest([1, 1], [1, 2]).d).toBe(0.5);
  });

  it('does not depend on the order of the input or which sample comes first', () => {
    const random = createSeededRandom(3);
    const a = Array.from({ length: 60 }, () => random.normal());
    const b = Array.from({ length: 45 }, () => random.normal() + 0.4);
    const forward = ksTest(a, b);
    expect(ksTest([...a].reverse(), b)).toEqual(forward);
    expect(ksTest(b, a)).toEqual({ ...forward, n1: 45, n2: 60 });
  });

  it('accepts typed arrays', () => {
    expect(ksTest(Float64Array.from([1, 2, 3]), Float64Array.from([1, 2, 3])).p).toBe(1);
  });

  it('propagates NaN like SciPy and rejects empty samples', () => {
    expect(ksTest([1, Number.NaN], [1, 2]).p).toBeNaN();
    expect(() => ksTest([], [1])).toThrow(RangeError);
  });

  it('falls back to the asymptotic p when an explicit exact lattice would be too large', () => {
    // lcm(46349, 46351) exceeds 2^31 - 1, where SciPy switches to 'asymp'.
    const a = Array.from({ length: 46_349 }, (_, i) => i);
    const b = Array.from({ length: 46_351 }, (_, i) => i + 0.5);
    expect(ksTest(a, b, { method: 'exact' }).method).toBe('asymp');
  });
});

describe('ksTest calibration', () => {
  const pairs = 400;
  const size = 200;

  function rejectionRate(shift: number, seed: number): number {
    const random = createSeededRandom(seed);
    let rejected = 0;
    for (let pair = 0; pair < pairs; pair++) {
      const a = Array.from({ length: size }, () => random.normal());
      const b = Array.from({ length: size }, () => random.normal() + shift);
      if (ksTest(a, b).p < 0.05) rejected++;
    }
    return rejected / pairs;
  }

  it('rejects about 5% of pairs from one distribution at alpha = 0.05', () => {
    // With 400 pairs the rate's standard error is ~1.1 points; the exact
    // test is slightly conservative because D is discrete.
    const rate = rejectionRate(0, 2024);
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.08);
  });

  it('detects a half-standard-deviation shift almost always', () => {
    // Power of the KS test at n = 200 per side for a 0.5 sd shift is ~0.99.
    expect(rejectionRate(0.5, 7)).toBeGreaterThan(0.95);
  });
});
