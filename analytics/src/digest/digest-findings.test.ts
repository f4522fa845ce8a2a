import { describe, expect, it } from 'vitest';
import { digestFindings, type DigestInput } from './digest-findings';

const figures = (calls: number, cost: number, errors = 0) => ({ calls, cost_usd: cost, errors });

describe('digestFindings', () => {
  it('reports rising cost per call, costly prompt versions, rising error rates and weekly spend', () => {
    const input: DigestInput = {
      day: '2026-11-20',
      features: new Map([
        ['search', { day: figures(100, 2.5), before: figures(700, 14) }], // $0.025 vs $0.02 per call: +25%
        ['chat', { day: figures(100, 1.1), before: figures(700, 7) }], // +10%: not reported
        ['tiny', { day: figures(10, 5), before: figures(70, 0.7) }], // too few calls
      ]),
      models: new Map([
        ['gpt-4o', { day: figures(200, 4, 10), before: figures(1400, 28, 14) }], // 5% vs 1%
        ['gpt-4o-mini', { day: figures(200, 1, 3), before: figures(1400, 7, 14) }], // 1.5% vs 1%
      ]),
      versions: [
        { prompt_id: 'answer', version: '1', calls: 60, cost_usd: 0.6, errors: 0, votes: 20, positive: 16 },
        { prompt_id: 'answer', version: '2', calls: 60, cost_usd: 1.2, errors: 0, votes: 20, positive: 15 },
      ],
      spend: { last7: 130, previous7: 100 },
    };
    const digest = digestFindings(input);
    expect(digest.findings.map((f) => `${f.kind} ${f.subject}`)).toEqual([
      'feature_cost_per_call_rose search',
      'prompt_version_costs_more answer@2',
      'model_error_rate_rose gpt-4o',
      'spend_vs_previous_week all',
    ]);
    expect(digest.findings[0]!.message).toBe('search: cost per call $0.025, up 25.0% on the 7 days before ($0.020)');
    expect(digest.findings[1]!.message).toBe('answer@2 costs $0.020 per call against $0.010 for @1, with no better satisfaction (75.0% vs 80.0%)');
    expect(digest.findings[2]!.message).toBe('gpt-4o: error rate 5.0%, up from 1.0% over the 7 days before');
    expect(digest.spend).toEqual({ last_7_days_usd: 130, previous_7_days_usd: 100, change: expect.closeTo(0.3, 12) });
    expect(digest.findings[3]!.message).toBe('spend over the last 7 days $130.00, up 30.0% on the 7 days before ($100.00)');
  });
});
