import { describe, expect, it } from 'vitest';
import { apiParams, formatViewState, parseViewState, resolveRange } from './view-state';

describe('view state in the URL', () => {
  it('round-trips a range preset, filters, grouping and page selections', () => {
    const state = parseViewState('?range=30d&feature=search&model=gpt-4o&group=model&test=feature%3Asearch%3Alatency_ms');
    expect(state).toEqual({ range: '30d', filters: { feature: 'search', model: 'gpt-4o' }, group: 'model', extra: { test: 'feature:search:latency_ms' } });
    expect(parseViewState(formatViewState(state))).toEqual(state);
  });

  it('takes a custom range over a preset and leaves defaults out of the link', () => {
    const state = parseViewState('?range=24h&from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z');
    expect(state.range).toBe('custom');
    expect(formatViewState(state)).toBe('?from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-08T00%3A00%3A00.000Z');
    expect(formatViewState(parseViewState(''))).toBe('');
  });

  it('ignores bad values instead of failing the page', () => {
    expect(parseViewState('?range=forever&group=colour&from=yesterday')).toMatchObject({ range: '7d', group: 'feature' });
  });

  it('keeps the language server\'s prompt and call-site links', () => {
    expect(parseViewState('?prompt=checkout-summary').filters).toEqual({ prompt: 'checkout-summary' });
    expect(parseViewState('?callsite=src%2Fapp.ts%3A42').filters).toEqual({ callsite: 'src/app.ts:42' });
  });
});

describe('resolveRange', () => {
  const now = new Date('2026-11-22T15:30:00Z');
  it('ends presets now and aligns calendar ones to UTC', () => {
    expect(resolveRange({ range: '7d' }, now).from.toISOString()).toBe('2026-11-15T15:30:00.000Z');
    expect(resolveRange({ range: 'today' }, now).from.toISOString()).toBe('2026-11-22T00:00:00.000Z');
    const last = resolveRange({ range: 'last-month' }, now);
    expect([last.from.toISOString(), last.to.toISOString()]).toEqual(['2026-10-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z']);
    const january = resolveRange({ range: 'last-month' }, new Date('2026-01-10T00:00:00Z'));
    expect(january.from.toISOString()).toBe('2025-12-01T00:00:00.000Z');
  });
  it('uses a custom range as given, ending now without a `to`', () => {
    const range = resolveRange({ range: 'custom', from: '2026-11-01T00:00:00.000Z' }, now);
    expect(range.to).toBe(now);
  });
  it('writes the API parameters of a range and its filters', () => {
    const range = { from: new Date('2026-11-01T00:00:00Z'), to: new Date('2026-11-02T00:00:00Z') };
    expect(apiParams(range, { user: 'u 1' }, { group_by: 'model' })).toBe('from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z&user=u+1&group_by=model');
  });
});
