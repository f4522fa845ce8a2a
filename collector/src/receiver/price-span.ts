import type { LlmSpan, Pricer, UnpricedLlmSpan } from '@spanlens/core';

/** Fills a mapped span's cost fields, as of the time the call was made. */
export function priceSpan(span: UnpricedLlmSpan, pricer: Pricer): LlmSpan {
  const price = pricer.price({
    provider: span.provider,
    model: span.model,
    input_tokens: span.input_tokens,
    output_tokens: span.output_tokens,
    cache_read_tokens: span.cache_read_tokens,
    cache_write_tokens: span.cache_write_tokens,
    reasoning_tokens: span.reasoning_tokens,
    // Whole milliseconds of the nanosecond string, without BigInt: dropping the
    // last six digits truncates exactly as integer division by 1e6 does.
    at: new Date(Number(span.start_time_ns.slice(0, -6))),
  });
  // The mapped span is this request's own object: priced in place rather than copied.
  return Object.assign(span, price) satisfies LlmSpan;
}
