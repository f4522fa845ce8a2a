import { describe, expect, it } from 'vitest';
import { attr, defaultMapping, jsonRequest, jsonSpan, mapJson } from '../mapping/fixtures/otlp-json';
import { redactFeedback, redactSpans } from './redact-spans';
import { createRedactor, type RedactionTally } from './redactor';

const redactor = createRedactor({ enabled: true, disabled: [], patterns: [] });
const llm = [attr('gen_ai.provider.name', 'openai'), attr('gen_ai.request.model', 'gpt-4o-mini'), attr('gen_ai.usage.input_tokens', 100), attr('gen_ai.usage.output_tokens', 20)];

/** Maps and redacts as the OTLP receiver does. */
function receive(attributes: ReturnType<typeof attr>[], mapping = defaultMapping) {
  const tally: RedactionTally = new Map();
  const mapped = mapJson(jsonRequest([jsonSpan({ attributes: [...llm, ...attributes] })]), mapping, { text: (text) => redactor.redact(text, tally), id: (text) => redactor.pseudonymize(text, tally) });
  redactSpans(mapped.spans, redactor, tally);
  return { span: mapped.spans[0]!, tally: Object.fromEntries(tally), truncated: mapped.tally.truncatedValues };
}

describe('redactSpans', () => {
  it('stores personal data in ids as a pseudonym: the same for every call of the person, never the address', () => {
    const first = receive([attr('user.id', 'Ana.Lopez@Example.com'), attr('session.id', 'call +44 20 7946 0958'), attr('spanlens.feature', 'support')]);
    const second = receive([attr('user.id', 'ana.lopez@example.com')]);
    expect(first.span.user_id).toMatch(/^\[EMAIL:[a-p]{12}\]$/);
    // Addresses differ only in case: one person, one pseudonym.
    expect(second.span.user_id).toBe(first.span.user_id);
    expect(first.span.session_id).toMatch(/^call \[PHONE:[a-p]{12}\]$/);
    expect(first.span.feature).toBe('support');
    expect(first.tally).toEqual({ email: 1, phone: 1 });
    expect(JSON.stringify(first.span)).not.toMatch(/lopez|7946/i);
    // An id without personal data is kept as sent.
    expect(receive([attr('user.id', 'user-00042')]).span.user_id).toBe('user-00042');
  });

  it('keys the pseudonym: another key gives another pseudonym, so a guessed address cannot be checked without it', () => {
    const keyed = createRedactor({ enabled: true, disabled: [], patterns: [], pseudonym_key: 'a-secret-of-this-installation' });
    const plain = redactor.pseudonymize('ana@example.com', new Map());
    expect(keyed.pseudonymize('ana@example.com', new Map())).not.toBe(plain);
    expect(keyed.pseudonymize('ana@example.com', new Map())).toMatch(/^\[EMAIL:[a-p]{12}\]$/);
    // Pinned: a pseudonym that changed between releases would split a user's cost in two and hide old calls from erasure.
    expect(plain).toBe('[EMAIL:plgjpngbdjbf]');
  });

  it('redacts a value before cutting it to the length cap, so no front half of an address or key is stored', () => {
    const mapping = { ...defaultMapping, max_attribute_value_chars: 40 };
    // The cut at 40 characters falls inside the address, then inside the key.
    const { span, tally, truncated } = receive([attr('note', `${'x'.repeat(30)} write to jane.doe@example.org`), attr('auth', `${'y'.repeat(36)} sk-proj-${'A1b2C3d4'.repeat(4)}`)], mapping);
    expect(span.attributes['note']).toBe(`${'x'.repeat(30)} write to `);
    expect(span.attributes['auth']).toBe(`${'y'.repeat(36)} [SE`);
    expect(JSON.stringify(span)).not.toMatch(/jane|sk-proj|A1b2/);
    expect(tally).toEqual({ email: 1, secret: 1 });
    expect(truncated).toBe(2);
    // A value that fits once redacted is not counted as cut.
    const fits = receive([attr('note', `${'x'.repeat(30)} ${'a'.repeat(20)}@example.org`)], mapping);
    expect(fits.span.attributes['note']).toBe(`${'x'.repeat(30)} [EMAIL]`);
    expect(fits.truncated).toBe(0);
  });

  it('gives an over-long id its pseudonym before cutting it, so erasure by the address still finds it', () => {
    const mapping = { ...defaultMapping, max_attribute_value_chars: 30 };
    const { span } = receive([attr('user.id', `ana@example.com ${'x'.repeat(40)}`)], mapping);
    expect(span.user_id).toBe(`${redactor.pseudonymize('ana@example.com', new Map())} ${'x'.repeat(9)}`);
  });

  it('redacts the provider, operation and finish reasons, and pseudonymizes model names, leaving real ones as they are', () => {
    const { span, tally } = receive([attr('gen_ai.response.model', 'ft:gpt-4o-mini:bob@example.com'), attr('gen_ai.response.finish_reasons', ['stop', 'call 555-123-4567'])]);
    expect(span.response_model).toBe(`ft:gpt-4o-mini:${redactor.pseudonymize('bob@example.com', new Map())}`);
    expect(span.model).toBe(span.response_model);
    expect(span.request_model).toBe('gpt-4o-mini');
    expect(span.provider).toBe('openai');
    expect(span.finish_reasons).toEqual(['stop', 'call [PHONE]']);
    expect(tally).toEqual({ email: 1, phone: 1 });
  });

  it('redacts captured content before cutting it to its cap', () => {
    const mapping = { ...defaultMapping, capture_content: true, max_content_chars: 24 };
    const { span } = receive([attr('input.value', 'Please bill 4111 1111 1111 1111 today')], mapping);
    expect(span.prompt_text).toBe('Please bill [CARD] today');
  });
});

describe('redactFeedback', () => {
  it("gives a voter's id the same pseudonym as their spans and redacts the comment", () => {
    const tally: RedactionTally = new Map();
    const [item] = redactFeedback([{ trace_id: 't', score: 1, user_id: 'ana@example.com', comment: 'call me on +1 415 555 0100' }], redactor, tally);
    expect(item).toEqual({ trace_id: 't', score: 1, user_id: redactor.pseudonymize('ana@example.com', new Map()), comment: 'call me on [PHONE]' });
  });
});
