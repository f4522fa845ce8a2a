import { describe, expect, it } from 'vitest';
import { renderHtml } from './render-html';
import { sampleModel } from './sample-model';

describe('renderHtml', () => {
  it('is one self-contained file: no script, no stylesheet link, nothing fetched', async () => {
    const html = await renderHtml(sampleModel());
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)=/i);
    // The only URLs are SVG namespace names, which are never fetched.
    const urls = [...html.matchAll(/https?:\/\/[^"'\s)]+/g)].map((m) => m[0]);
    expect(new Set(urls)).toEqual(new Set(['http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xlink']));
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toMatch(/<svg role="img" aria-label="Cost per day, stacked by feature"/);
  });

  it('titles the report with grouping and range, and escapes keys', async () => {
    const html = await renderHtml(sampleModel());
    expect(html).toContain('<title>AI cost by feature, 2026-10-31 00:00Z to 2026-11-02 00:00Z</title>');
    expect(html).toContain('<th scope="row">chat, &quot;beta&quot;</th>');
    expect(html).toContain('<th scope="row">(no feature)</th>');
    expect(html).not.toContain('chat, "beta"</th>');
    // Exact to the nanodollar, the digits below a cent set smaller.
    expect(html).toContain('<tfoot><tr><th scope="row">TOTAL</th><td class="num">$1,234.50<span class="fine">0000001</span></td>');
    expect(html).toContain('2026-10 (1 of 31 days)');
  });
});
