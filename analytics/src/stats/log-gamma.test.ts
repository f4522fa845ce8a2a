import { describe, expect, it } from 'vitest';
import { logBeta, logGamma } from './log-gamma';

function logFactorial(n: number): number {
  let sum = 0;
  for (let i = 2; i <= n; i++) sum += Math.log(i);
  return sum;
}

describe('logGamma', () => {
  it('matches log factorials and Gamma(1/2) = sqrt(pi)', () => {
    for (const n of [1, 2, 3, 7, 10, 11, 25, 170]) {
      expect(logGamma(n)).toBeCloseTo(logFactorial(n - 1), 11);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(1.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI) / 2), 14);
  });

  it('is NaN outside the positive axis', () => {
    expect(logGamma(0)).toBeNaN();
    expect(logGamma(-1)).toBeNaN();
  });
});

describe('logBeta', () => {
  it('matches B(a, b) = Gamma(a) Gamma(b) / Gamma(a + b) for small and large arguments', () => {
    // B(1, b) = 1 / b, and for large a, ln B(a, 1/2) = ln sqrt(pi / a) + 1/(8a) - 1/(192 a^3) + ...
    // from the expansion of Gamma(a + 1/2) / Gamma(a).
    expect(logBeta(1, 3)).toBeCloseTo(-Math.log(3), 14);
    expect(logBeta(20, 1)).toBeCloseTo(-Math.log(20), 14);
    const a = 1e6;
    expect(logBeta(a, 0.5)).toBeCloseTo(0.5 * Math.log(Math.PI / a) + 1 / (8 * a), 13);
    expect(logBeta(12.5, 30)).toBeCloseTo(logGamma(12.5) + logGamma(30) - logGamma(42.5), 12);
  });
});
