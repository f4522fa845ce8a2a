import { describe, expect, it } from 'vitest';
import { renderCsv } from './render-csv';
import { sampleModel } from './sample-model';

describe('renderCsv', () => {
  const csv = renderCsv(sampleModel());

  it('starts with a UTF-8 byte order mark and ends every line with CRLF', () => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(Buffer.from(csv, 'utf8').subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('writes a header row, one row per key and a TOTAL row, numbers as plain decimals', () => {
    const lines = csv.slice(1).split('\r\n');
    expect(lines).toEqual([
      'from,to,feature,cost_usd,share_of_cost,calls,input_tokens,output_tokens,cache_read_tokens,reasoning_tokens,unpriced_calls',
      '2026-10-31T00:00:00Z,2026-11-02T00:00:00Z,"chat, ""beta""",1234.5,1,1,1200000,30,0,0,0',
      `2026-10-31T00:00:00Z,2026-11-02T00:00:00Z,"'=HYPERLINK(""x"")",0.000000001,0,1,0,0,0,0,0`,
      '2026-10-31T00:00:00Z,2026-11-02T00:00:00Z,,0,0,1,0,0,0,0,1',
      '2026-10-31T00:00:00Z,2026-11-02T00:00:00Z,TOTAL,1234.500000001,1,3,1200000,30,0,0,1',
      '',
    ]);
  });

  it('adds revenue and plan columns when the report has them, empty cells for undefined figures', () => {
    const model = sampleModel();
    model.rows[0]!.revenue_usd = 92;
    model.rows[0]!.cost_share_of_revenue = 0.013043478260869565;
    model.rows[1]!.revenue_usd = null;
    model.rows[1]!.cost_share_of_revenue = null;
    model.totals.revenue_usd = 92;
    model.totals.cost_share_of_revenue = 13.41847826088;
    model.revenue = { method: '', features: [], total_revenue_usd: 92, total_cost_usd: 1234.500000001, cost_share_of_revenue: 13.41847826088 };
    const lines = renderCsv(model).slice(1).split('\r\n');
    expect(lines[0]).toMatch(/,unpriced_calls,revenue_usd,cost_share_of_revenue$/);
    expect(lines[1]).toMatch(/,92,0\.013043478$/);
    expect(lines[2]).toMatch(/,0,0,0,0,0,,$/);
    expect(lines[4]).toMatch(/^[^,]+,[^,]+,TOTAL,.*,92,13\.418478261$/);
  });

  it('quotes line breaks inside a key', () => {
    const model = sampleModel({ rows: [{ ...sampleModel().rows[2]!, key: 'two\nlines' }] });
    expect(renderCsv(model)).toContain(',"two\nlines",');
  });
});
