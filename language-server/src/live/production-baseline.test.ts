import type { AnnotationRow } from '@spanlens/core/editor-protocol';
import { describe, expect, it } from 'vitest';
import { callBaseline, promptBaseline } from './production-baseline';

function row(key: string, calls: number, prompts: string[] = []): AnnotationRow {
  return {
    key,
    calls,
    cost_usd: calls * 0.001,
    cost_per_call_usd: 0.001,
    unpriced_calls: 0,
    p95_ms: 500,
    error_rate: 0,
    tokens: { input: 0, output: 0, cached: 0 },
    models: [],
    previous_week: { calls: 0, cost_usd: 0 },
    satisfaction: { votes: 0, positive: 0, rate: null },
    prompts,
  };
}

describe('promptBaseline', () => {
  const rows = [row('triage@3', 120), row('triage@2', 30), row('other@4', 999)];

  it('is the named version itself when it ran in the window', () => {
    expect(promptBaseline(rows, 'triage', '2')).toEqual({ row: rows[1] });
  });

  it('is the most-called version of the same id when the named version has not run', () => {
    expect(promptBaseline(rows, 'triage', '4')).toEqual({ row: rows[0], otherVersion: 'triage@3' });
  });

  it('breaks a tie by the higher version, compared as numbers', () => {
    const tied = [row('triage@9', 50), row('triage@10', 50), row('triage@2024-06-09', 10)];
    expect(promptBaseline(tied, 'triage', '11')?.otherVersion).toBe('triage@10');
  });

  it('merges every version when the source names none, and has no baseline for an id production never ran', () => {
    expect(promptBaseline(rows, 'triage', undefined)?.row.calls).toBe(150);
    expect(promptBaseline(rows, 'new-prompt', '1')).toBeUndefined();
    expect(promptBaseline([row('triage@3', 0)], 'triage', '4')).toBeUndefined();
  });
});

describe('callBaseline', () => {
  const prompts = [row('triage@3', 120)];

  it("uses the call site's figures and names the version it sent when the source names another", () => {
    const site = row('app.ts:4', 7, ['triage@3']);
    expect(callBaseline(site, { id: 'triage', version: '4' }, prompts)).toEqual({ row: site, otherVersion: 'triage@3' });
    expect(callBaseline(site, { id: 'triage', version: '3' }, prompts)).toEqual({ row: site });
    expect(callBaseline(site, undefined, prompts)).toEqual({ row: site });
  });

  it("falls back to the prompt's production version for a call site with no spans yet", () => {
    expect(callBaseline(undefined, { id: 'triage', version: '4' }, prompts)).toEqual({ row: prompts[0], otherVersion: 'triage@3' });
    expect(callBaseline(undefined, undefined, prompts)).toBeUndefined();
  });
});
