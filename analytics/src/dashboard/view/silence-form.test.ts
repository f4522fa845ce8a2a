import { describe, expect, it } from 'vitest';
import { matchersFor, parseMatchers, silenceEnd } from './silence-form';

describe('silence matchers typed in the form', () => {
  it('reads equality and regex matchers, quoted or not', () => {
    expect(parseMatchers('alertname=expensive-call, feature=~"search|chat"\nmodel = gpt-4o')).toEqual({
      ok: true,
      matchers: [
        { name: 'alertname', value: 'expensive-call', regex: false },
        { name: 'feature', value: 'search|chat', regex: true },
        { name: 'model', value: 'gpt-4o', regex: false },
      ],
    });
  });
  it('names the part it cannot read, and wants at least one', () => {
    expect(parseMatchers('alertname')).toEqual({ ok: false, error: '"alertname" is not name=value or name=~regex' });
    expect(parseMatchers(' , ').ok).toBe(false);
  });
  it('silences one alert by its rule and labels', () => {
    expect(matchersFor('latency', { feature: 'search' })).toBe('alertname=latency, feature=search');
  });
  it('expires after the chosen duration', () => {
    expect(silenceEnd('4h', new Date('2026-11-22T10:00:00Z'))?.toISOString()).toBe('2026-11-22T14:00:00.000Z');
    expect(silenceEnd('forever', new Date())).toBeNull();
  });
});
