import { describe, expect, it } from 'vitest';
import { regularizedIncompleteBeta } from './incomplete-beta';

describe('regularizedIncompleteBeta', () => {
  it('has the closed forms I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b', () => {
    for (const x of [0.01, 0.3, 0.5, 0.9, 0.999]) {
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(regularizedIncompleteBeta(x, 1, 2.5)).toBeCloseTo(1 - (1 - x) ** 2.5, 14);
    }
  });

  it('is the binomial tail for integer arguments', () => {
    // I_p(k, n - k + 1) = P(Binomial(n, p) >= k); n = 5, k = 2, p = 0.3.
    const tail = 1 - 0.7 ** 5 - 5 * 0.3 * 0.7 ** 4;
    expect(regularizedIncompleteBeta(0.3, 2, 4)).toBeCloseTo(tail, 14);
  });

  it('satisfies I_x(a, b) = 1 - I_{1-x}(b, a) and the end points', () => {
    expect(regularizedIncompleteBeta(0.2, 40, 7) + regularizedIncompleteBeta(0.8, 7, 40)).toBeCloseTo(1, 14);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
    expect(regularizedIncompleteBeta(0.5, 0, 3)).toBeNaN();
  });
});
