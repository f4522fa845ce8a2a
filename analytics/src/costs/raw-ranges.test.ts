import { describe, expect, it } from 'vitest';
import { rawRanges } from './query-cost-buckets';

const H = 1_780_000_000 - (1_780_000_000 % 3600); // an hour start, in seconds
const ms = (hours: number, minutes = 0) => (H + hours * 3600 + minutes * 60) * 1000;

describe('rawRanges', () => {
  it('reads the partial edge hours and the stale hours raw, and nothing the rollup covers', () => {
    // [08:30, 13:15) with fresh 09:00, 10:00 and 12:00; 11:00 is stale.
    const fresh = new Map([[H + 3600, 1], [H + 7200, 1], [H + 4 * 3600, 1]]);
    expect(rawRanges(ms(0, 30), ms(5, 15), fresh)).toEqual([
      { fromMs: ms(0, 30), toMs: ms(1) },
      { fromMs: ms(3), toMs: ms(4) },
      { fromMs: ms(5), toMs: ms(5, 15) },
    ]);
  });

  it('is the whole range when nothing is fresh, and empty when everything is', () => {
    expect(rawRanges(ms(0), ms(3), new Map())).toEqual([{ fromMs: ms(0), toMs: ms(3) }]);
    expect(rawRanges(ms(0), ms(2), new Map([[H, 1], [H + 3600, 1]]))).toEqual([]);
  });
});
