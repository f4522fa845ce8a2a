import type { CostReportModel } from './cost-report-model';

/** A small report model for renderer tests, its figures written by hand. */
export function sampleModel(overrides: Partial<CostReportModel> = {}): CostReportModel {
  const zero = { calls: 0, input_tokens: 0, output_tokens: 0, cache_read_tokens: 0, reasoning_tokens: 0, unpriced_calls: 0 };
  return {
    report: 'cost',
    by: 'feature',
    from: '2026-10-31T00:00:00.000Z',
    to: '2026-11-02T00:00:00.000Z',
    generated_at: '2026-11-22T10:00:00.000Z',
    currency: 'USD',
    totals: { ...zero, cost_usd: 1234.500000001, calls: 3, input_tokens: 1_200_000, output_tokens: 30, unpriced_calls: 1 },
    rows: [
      { ...zero, key: 'chat, "beta"', cost_usd: 1234.5, share_of_cost: 0.9999999999, calls: 1, input_tokens: 1_200_000, output_tokens: 30 },
      { ...zero, key: '=HYPERLINK("x")', cost_usd: 0.000000001, share_of_cost: 8.1e-13, calls: 1 },
      { ...zero, key: '', cost_usd: 0, share_of_cost: 0, calls: 1, unpriced_calls: 1 },
    ],
    over_time: {
      unit: 'day',
      keys: ['chat, "beta"', '=HYPERLINK("x")'],
      has_other: true,
      points: [
        { start: '2026-10-31T00:00:00.000Z', from: '2026-10-31T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', costs_usd: [1000, 0], other_usd: 0, total_usd: 1000 },
        { start: '2026-11-01T00:00:00.000Z', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', costs_usd: [234.5, 0.000000001], other_usd: 0, total_usd: 234.500000001 },
      ],
    },
    top_items: [
      { key: 'chat, "beta"', cost_usd: 1234.5, share_of_cost: 0.9999999999, calls: 1 },
      { key: '=HYPERLINK("x")', cost_usd: 0.000000001, share_of_cost: 8.1e-13, calls: 1 },
    ],
    month_over_month: {
      months: [
        { month: '2026-10', from: '2026-10-31T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z', days: 1, days_in_month: 31, complete: false },
        { month: '2026-11', from: '2026-11-01T00:00:00.000Z', to: '2026-11-02T00:00:00.000Z', days: 1, days_in_month: 30, complete: false },
      ],
      rows: [
        { key: 'chat, "beta"', costs_usd: [1000, 234.5], change_usd: [null, -765.5], change_ratio: [null, -0.7655] },
        { key: '=HYPERLINK("x")', costs_usd: [0, 0.000000001], change_usd: [null, 0.000000001], change_ratio: [null, null] },
        { key: '', costs_usd: [0, 0], change_usd: [null, 0], change_ratio: [null, null] },
      ],
      total: { costs_usd: [1000, 234.500000001], change_usd: [null, -765.499999999], change_ratio: [null, -0.765499999999] },
    },
    ...overrides,
  };
}
