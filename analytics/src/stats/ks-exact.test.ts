import { describe, expect, it } from 'vitest';
import { probabilityOutsideBand, probabilityOutsideSquare } from './ks-exact';

/**
 * P(D >= h / lcm) by brute force: every placement of the m ranks of sample A
 * among m + n positions is equally likely under the null, and D is read off
 * each path. An independent check of the lattice recursions for small sizes.
 */
function bruteForceTail(m: number, n: number, h: number): number {
  const lcm = (m * n) / gcd(m, n);
  let atLeast = 0;
  let total = 0;
  const visit = (x: number, y: number, largest: number): void => {
    if (x === m && y === n) {
      total++;
      if (largest >= h) atLeast++;
      return;
    }
    // |x/m - y/n| scaled to an integer multiple of 1/lcm.
    if (x < m) visit(x + 1, y, Math.max(largest, Math.abs(((x + 1) * lcm) / m - (y * lcm) / n)));
    if (y < n) visit(x, y + 1, Math.max(largest, Math.abs((x * lcm) / m - ((y + 1) * lcm) / n)));
  };
  visit(0, 0, 0);
  return atLeast / total;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

describe('exact two-sample KS tail', () => {
  it('matches path enumeration for equal sizes', () => {
    for (const n of [1, 2, 3, 5, 8]) {
      for (let h = 1; h <= n; h++) {
        expect(probabilityOutsideSquare(n, h), `n=${n} h=${h}`).toBeCloseTo(bruteForceTail(n, n, h), 14);
      }
    }
  });

  it('matches path enumeration for unequal sizes', () => {
    for (const [m, n] of [[2, 3], [3, 5], [4, 6], [7, 3], [6, 9], [10, 4]] as const) {
      const g = gcd(m, n);
      const lcm = (m * n) / g;
      for (let h = 1; h <= lcm; h++) {
        expect(probabilityOutsideBand(m, n, g, h), `m=${m} n=${n} h=${h}`).toBeCloseTo(bruteForceTail(m, n, h), 14);
      }
    }
  });

  it('gives the textbook value for D = 1 with equal sizes', () => {
    // Only the two fully separated orderings reach D = 1: 2 / C(2n, n).
    expect(probabilityOutsideSquare(4, 4)).toBeCloseTo(2 / 70, 15);
  });
});
