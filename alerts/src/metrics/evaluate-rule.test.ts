import { describe, expect, it } from 'vitest';
import { baselineScale, meetsCondition } from './evaluate-rule';

describe('meetsCondition', () => {
  it('compares against a threshold', () => {
    expect(meetsCondition({ op: '>', threshold: 0.01 }, 0.015, undefined)).toBe(true);
    expect(meetsCondition({ op: '>', threshold: 0.01 }, 0.01, undefined)).toBe(false);
    expect(meetsCondition({ op: '>=', threshold: 0.01 }, 0.01, undefined)).toBe(true);
    expect(meetsCondition({ op: '<', threshold: 0.7 }, 0.69, undefined)).toBe(true);
    expect(meetsCondition({ op: '<=', threshold: 0.7 }, 0.71, undefined)).toBe(false);
  });

  it('compares against factor × baseline, and never breaches without a baseline', () => {
    const twice = { op: '>' as const, baseline: { window_ms: 604_800_000, factor: 2 } };
    expect(meetsCondition(twice, 4001, 2000)).toBe(true);
    expect(meetsCondition(twice, 4000, 2000)).toBe(false);
    expect(meetsCondition(twice, 50_000, undefined)).toBe(false);
    expect(meetsCondition({ op: '<', baseline: { window_ms: 1, factor: 0.5 } }, 0.3, 0.7)).toBe(true);
  });

  it('never breaches on a value that is not a number', () => {
    expect(meetsCondition({ op: '>', threshold: 0 }, Number.NaN, undefined)).toBe(false);
  });
});

describe('baselineScale', () => {
  it('scales totals to the rule window and leaves rates alone', () => {
    expect(baselineScale('calls', 3_600_000, 86_400_000)).toBeCloseTo(1 / 24);
    expect(baselineScale('cost_total', 300_000, 600_000)).toBe(0.5);
    expect(baselineScale('cost_per_hour', 3_600_000, 86_400_000)).toBe(1);
    expect(baselineScale('latency_p95_ms', 900_000, 604_800_000)).toBe(1);
  });
});
