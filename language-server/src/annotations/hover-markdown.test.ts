import { describe, expect, it } from 'vitest';
import { hoverMarkdown, type HoverDetails } from './hover-markdown';

const details: HoverDetails = {
  title: 'summarise.ts:42',
  models: [
    { model: 'gpt-4o', calls: 12_000, costUsd: 50.4 },
    { model: 'gpt-4o-mini', calls: 345, costUsd: 1.3 },
  ],
  calls: 12_345,
  costUsd: 51.7,
  costPerCall: 0.0042,
  p95Ms: 1800,
  tokens: { input: 1_200_000, output: 340_000, cached: 300_000 },
  errorRate: 0.004,
  trend: { cost: 0.12, calls: -0.08 },
  satisfaction: { rate: 0.913, votes: 220 },
  drift: { status: 'stable' },
  window: '24h',
  fetchedAt: new Date('2026-11-22T19:14:37Z'),
  dashboardUrl: 'http://localhost:4318/call-sites/summarise.ts%3A42',
};

describe('hoverMarkdown', () => {
  it('shows the full breakdown', () => {
    const md = hoverMarkdown(details);
    expect(md).toContain('**Spanlens · summarise.ts:42**');
    expect(md).toContain('| Models | `gpt-4o` (12k calls, $50.40), `gpt-4o-mini` (345 calls, $1.30) |');
    expect(md).toContain('| Cost | $51.70 ($0.0042/call) |');
    expect(md).toContain('| Tokens | 1.2M in · 340k out · 300k cached |');
    // 300k cached of 1.2M input tokens.
    expect(md).toContain('| Cache hit rate | 25% |');
    expect(md).toContain('| p95 latency | 1.8s |');
    expect(md).toContain('| Error rate | 0.4% |');
    expect(md).toContain('| vs previous week | cost ▲ 12% · calls ▼ 8% |');
    expect(md).toContain('| Satisfaction | 👍 91% of 220 votes |');
    expect(md).toContain('| Drift | stable |');
    expect(md).toContain('_Last 24h · fetched 2026-11-22 19:14 UTC_');
    expect(md).toContain('[Open in Spanlens dashboard](http://localhost:4318/call-sites/summarise.ts%3A42)');
  });

  it('says which rows have no data', () => {
    const md = hoverMarkdown({
      ...details,
      models: [{ model: 'my-local-model', calls: 3, costUsd: null }],
      costUsd: null,
      costPerCall: null,
      tokens: { input: 0, output: 0, cached: 0 },
      p95Ms: null,
      errorRate: null,
      trend: { cost: null, calls: -0.0004 },
      satisfaction: null,
      drift: { status: 'drifting', detail: 'KS p<0.01' },
    });
    expect(md).toContain('| Models | `my-local-model` (3 calls, unpriced) |');
    expect(md).toContain('| Cost | unpriced model |');
    expect(md).toContain('| Cache hit rate | no input tokens |');
    expect(md).toContain('| p95 latency | no data |');
    expect(md).toContain('| Error rate | no calls |');
    expect(md).toContain('| vs previous week | calls ▼ <0.1% |');
    expect(md).toContain('| Satisfaction | no votes |');
    expect(md).toContain('| Drift | ⚠ drifting (KS p\\<0.01) |');
  });

  it('escapes table-breaking characters in names', () => {
    expect(hoverMarkdown({ ...details, title: 'a|b' })).toContain('**Spanlens · a\\|b**');
  });
});
