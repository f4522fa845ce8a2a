import { describe, expect, it } from 'vitest';
import type { Silence } from '../model';
import { fingerprint } from './fingerprint';
import { matchesSilence, silenceStatus } from './silence-match';
import { validateSilence } from './silence-validation';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const silence = (matchers: Silence['matchers']): Silence => ({ id: 's', matchers, starts_at: T0, ends_at: T0 + 1000, created_by: 'ana', comment: 'why' });
const labels = { alertname: 'search-cost', severity: 'critical', team: 'ml', feature: 'search' };

describe('matchesSilence', () => {
  it('anchors regular expressions at both ends, like Alertmanager', () => {
    expect(matchesSilence(silence([{ name: 'team', value: 'ml|search', regex: true }]), labels, T0)).toBe(true);
    expect(matchesSilence(silence([{ name: 'team', value: 'm', regex: true }]), labels, T0)).toBe(false);
    expect(matchesSilence(silence([{ name: 'feature', value: 'sea', regex: true }]), labels, T0)).toBe(false);
    expect(matchesSilence(silence([{ name: 'feature', value: 'sea.*', regex: true }]), labels, T0)).toBe(true);
  });

  it('needs every matcher to match, exactly unless regex', () => {
    expect(matchesSilence(silence([{ name: 'alertname', value: 'search-cost' }, { name: 'team', value: 'ml' }]), labels, T0)).toBe(true);
    expect(matchesSilence(silence([{ name: 'alertname', value: 'search-cost' }, { name: 'team', value: 'ops' }]), labels, T0)).toBe(false);
    expect(matchesSilence(silence([{ name: 'feature', value: 'sea.*' }]), labels, T0)).toBe(false);
  });

  it('treats a missing label as the empty string', () => {
    expect(matchesSilence(silence([{ name: 'team', value: 'ml' }, { name: 'model', value: '' }]), labels, T0)).toBe(true);
    expect(matchesSilence(silence([{ name: 'model', value: 'gpt-4o' }]), labels, T0)).toBe(false);
  });

  it('applies from starts_at up to, not including, ends_at', () => {
    const s = silence([{ name: 'team', value: 'ml' }]);
    expect([T0 - 1, T0, T0 + 999, T0 + 1000].map((t) => matchesSilence(s, labels, t))).toEqual([false, true, true, false]);
    expect([T0 - 1, T0, T0 + 1000].map((t) => silenceStatus(s, t))).toEqual(['pending', 'active', 'expired']);
  });

  it('never matches with no matchers', () => {
    expect(matchesSilence(silence([]), labels, T0)).toBe(false);
  });
});

describe('validateSilence', () => {
  const valid = { matchers: [{ name: 'alertname', value: 'search-cost' }], ends_at: T0 + 3_600_000, created_by: 'ana', comment: 'deploy' };

  it('accepts a valid silence, starting now by default', () => {
    expect(validateSilence(valid, T0)).toEqual({ ok: true, silence: { ...valid, starts_at: T0 } });
  });

  it.each([
    [{ matchers: [] }, 'at least one matcher'],
    [{ matchers: [{ name: 'team', value: '.*', regex: true }] }, 'must not match the empty string'],
    [{ matchers: [{ name: 'team', value: '(', regex: true }] }, 'invalid regular expression'],
    [{ matchers: [{ name: 'bad name', value: 'x' }] }, 'invalid label name'],
    [{ starts_at: T0 + 10, ends_at: T0 + 10 }, 'ends_at must be after starts_at'],
    [{ starts_at: T0 - 20, ends_at: T0 - 10 }, 'already in the past'],
    [{ comment: '  ' }, 'comment'],
    [{ created_by: '' }, 'created_by'],
  ])('rejects %o', (change, message) => {
    const result = validateSilence({ ...valid, ...change }, T0);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
  });
});

describe('fingerprint', () => {
  it('depends on the rule and the labels, not on label order', () => {
    const a = fingerprint('r', { feature: 'search', model: 'gpt-4o' });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ name: 'r' }, { model: 'gpt-4o', feature: 'search' })).toBe(a);
    expect(fingerprint('r2', { feature: 'search', model: 'gpt-4o' })).not.toBe(a);
    expect(fingerprint('r', { feature: 'search' })).not.toBe(a);
    // Separators cannot be forged by values: ("a", {b: "c"}) vs ("a\"", …) style collisions.
    expect(fingerprint('r', { a: 'b,c' })).not.toBe(fingerprint('r', { a: 'b', c: '' }));
  });
});
