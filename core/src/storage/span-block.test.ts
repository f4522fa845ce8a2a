import { describe, expect, it } from 'vitest';
import type { LlmSpan } from '../model/span';
import { spanNativeBlock } from './span-block';
import { makeSpan } from './test-spans';

describe('spanNativeBlock', () => {
  it('writes a map object shared by consecutive spans exactly as it writes separate copies of it', () => {
    // Runs of spans share resource (and sometimes span) attribute objects, as
    // the receiver hands them over; the writer copies the bytes it wrote for
    // the row before instead of encoding the same object again.
    const resources: Array<Record<string, string>> = [{ 'service.name': 'checkout-api', 'host.name': 'ip-10-0-1-2' }, {}, { 'service.name': 'sérvice 🙂', 'k\u0000': 'v'.repeat(300) }];
    const spans: LlmSpan[] = [];
    let attributes: Record<string, string> = { a: '1' };
    for (let i = 0; i < 60; i++) {
      if (i % 3 !== 1) attributes = { 'gen_ai.request.temperature': String(i / 10), [`key.${i % 4}`]: 'x'.repeat(i) };
      spans.push(makeSpan({ resource_attributes: resources[Math.floor(i / 7) % resources.length]!, attributes }));
    }
    const shared = spans.filter((span, i) => i > 0 && span.resource_attributes === spans[i - 1]!.resource_attributes).length;
    expect(shared).toBeGreaterThan(40);
    const copies = spans.map((span) => ({ ...span, resource_attributes: { ...span.resource_attributes }, attributes: { ...span.attributes } }));
    expect(spanNativeBlock(spans).equals(spanNativeBlock(copies))).toBe(true);
  });
});
