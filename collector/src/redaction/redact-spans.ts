import type { FeedbackInput, UnpricedLlmSpan } from '@spanlens/core';
import type { RedactionTally, Redactor } from './redactor';

/**
 * Redacts the free text of mapped spans in place, before they are priced,
 * published to Kafka or stored: every attribute and resource-attribute value,
 * the span name, the error type and captured prompt and completion text. Ids used for attribution (user, session,
 * feature, prompt, code location) are left as sent — they are the keys of
 * per-user cost and of erasure — so applications should send pseudonymous
 * user ids rather than e-mail addresses.
 *
 * Resource attributes are one frozen object shared by the spans of a
 * resource, so each is redacted once and the copy shared in its place.
 */
export function redactSpans(spans: UnpricedLlmSpan[], redactor: Redactor, tally: RedactionTally): void {
  if (!redactor.enabled) return;
  const resources = new Map<Readonly<Record<string, string>>, Readonly<Record<string, string>>>();
  for (const span of spans) {
    span.span_name = redactor.redact(span.span_name, tally);
    span.error_type = redactor.redact(span.error_type, tally);
    if (span.prompt_text) span.prompt_text = redactor.redact(span.prompt_text, tally);
    if (span.completion_text) span.completion_text = redactor.redact(span.completion_text, tally);
    redactValues(span.attributes, redactor, tally);
    let resource = resources.get(span.resource_attributes);
    if (resource === undefined) {
      const copy = { ...span.resource_attributes };
      redactValues(copy, redactor, tally);
      resource = Object.freeze(copy);
      resources.set(span.resource_attributes, resource);
    }
    span.resource_attributes = resource;
  }
}

/** Feedback comments are free text written by end users: the likeliest place for an address or a phone number. */
export function redactFeedback(items: FeedbackInput[], redactor: Redactor, tally: RedactionTally): FeedbackInput[] {
  if (!redactor.enabled) return items;
  return items.map((item) => (item.comment ? { ...item, comment: redactor.redact(item.comment, tally) } : item));
}

function redactValues(values: Record<string, string>, redactor: Redactor, tally: RedactionTally): void {
  for (const key of Object.keys(values)) values[key] = redactor.redact(values[key]!, tally);
}
