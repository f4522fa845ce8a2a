// Prints ksTest timings; run with `npx tsx bench/ks-test.ts`.
// Speed is measured here rather than asserted in tests (see CONVENTIONS.md).
//
// Equal sizes use the O(n) reflection sum; unequal sizes walk the lattice
// band, O(max(n1, n2) * D * min(n1, n2)), so n vs n - 1 with a large D is
// the slowest exact case. Sorting dominates otherwise.
import { ksTest, type KsMethod } from '../analytics/src/stats/ks-test';
import { createSeededRandom } from '../analytics/src/stats/seeded-random';

interface Scenario {
  label: string;
  n1: number;
  n2: number;
  shift: number;
  method: KsMethod;
}

function sample(size: number, shift: number, seed: number): number[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: size }, () => random.normal() + shift);
}

function medianMs(run: () => void, repetitions: number): number {
  const times: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)] as number;
}

const scenarios: Scenario[] = [];
for (const n of [200, 1000, 5000]) {
  for (const [n2, shift] of [[n, 0], [n, 0.2], [n - 1, 0], [n - 1, 0.2], [n - 1, 3]] as const) {
    scenarios.push({ label: `${n} x ${n2}, shift ${shift}`, n1: n, n2, shift, method: 'auto' });
  }
  scenarios.push({ label: `${n} x ${n - 1}, shift 0.2, asymp`, n1: n, n2: n - 1, shift: 0.2, method: 'asymp' });
}
scenarios.push({ label: '10000 x 9999, shift 3 (largest auto-exact)', n1: 10_000, n2: 9_999, shift: 3, method: 'auto' });

console.log('scenario'.padEnd(44), 'method', '   D     ', 'p'.padEnd(11), 'median ms');
for (const scenario of scenarios) {
  const a = sample(scenario.n1, 0, 1);
  const b = sample(scenario.n2, scenario.shift, 2);
  const result = ksTest(a, b, { method: scenario.method });
  const ms = medianMs(() => ksTest(a, b, { method: scenario.method }), 9);
  console.log(scenario.label.padEnd(44), result.method.padEnd(6), result.d.toFixed(5), result.p.toExponential(3).padEnd(11), ms.toFixed(2));
}
