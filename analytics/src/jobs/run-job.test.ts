import { describe, expect, it } from 'vitest';
import { configSchema } from '@spanlens/core';
import { rollupJob } from './rollup-job';
import { parseWindowEnd } from './run-job';

describe('parseWindowEnd', () => {
  it('reads ISO 8601 date-times with a zone', () => {
    expect(parseWindowEnd('2026-06-01T08:00:00Z')?.toISOString()).toBe('2026-06-01T08:00:00.000Z');
    expect(parseWindowEnd('2026-06-01T08:00Z')?.toISOString()).toBe('2026-06-01T08:00:00.000Z');
    expect(parseWindowEnd('2026-06-01T10:30:00.250+02:00')?.toISOString()).toBe('2026-06-01T08:30:00.250Z');
  });

  it('refuses dates without a zone or a time, days a month lacks, and other text', () => {
    for (const text of ['2026-06-01T08:00:00', '2026-06-01', '2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', 'now', '']) {
      expect(parseWindowEnd(text), text).toBeUndefined();
    }
  });
});

describe('the rollup window', () => {
  const config = configSchema.parse({});
  it('is the hour that ended last', () => {
    expect(rollupJob.window(new Date('2026-06-01T09:05:10Z'), config)).toEqual({
      start: new Date('2026-06-01T08:00:00Z'),
      end: new Date('2026-06-01T09:00:00Z'),
    });
    expect(rollupJob.window(new Date('2026-06-01T09:00:00Z'), config).end).toEqual(new Date('2026-06-01T09:00:00Z'));
  });
});
