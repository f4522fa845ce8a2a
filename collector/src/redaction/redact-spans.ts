import type { UnpricedLlmSpan } from '@spanlens/core';
import type { RedactionTally, Redactor } from './redactor';

/**
 * Redacts the free text of mapped spans in place, before they are priced,
 * published to Kafka or stored: every attribute and resource-attribute value,
 * the span name, the error type and captured prompt and completion text.
 *
 * Ids used for attribution (user, session, feature, prompt, service, code
 * location, model) are the keys of per-user cost and of erasure, so personal
 * data found in them becomes a pseudonym rather than a bare placeholder:
 * `user.id = "ana@example.com"` is stored as `[EMAIL:plgjpngbdjbf]`, the same
 * for every call of hers, and `spanlens erase --user ana@example.com` computes
 * it again to find them. The provider, the operation and the finish reasons
 * are redacted like free text. No model id of the price catalogue (1,480 of
 * them) is changed by either, so pricing, which runs after, is unaffected.
 *
 * Resource attributes are one frozen object shared by the spans of a
 * resource, so each is redacted once and the copy shared in its place.
 */
export function redactSpans(spans: UnpricedLlmSpan[], redactor: Redactor, tally: RedactionTally): void {
  if (!redactor.enabled) return;
  const resources = new Map<Readonly<Record<string, string>>, Readonly<Record<string, string>>>();
  for (const span of spans) {
    for (const field of ID_FIELDS) span[field] = redactor.pseudonymize(span[field], tally);
    // `model` is one of the two (map-span's rule), not a third value to count again.
    span.model = span.response_model || span.request_model;
    span.span_name = redactor.redact(span.span_name, tally);
    span.provider = redactor.redact(span.provider, tally);
    span.operation = redactor.redact(span.operation, tally);
    for (let i = 0; i < span.finish_reasons.length; i++) span.finish_reasons[i] = redactor.redact(span.finish_reasons[i]!, tally);
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

/** The ids of a span that are pseudonymized rather than redacted (see redactSpans). */
const ID_FIELDS = ['service_name', 'user_id', 'session_id', 'feature', 'prompt_id', 'prompt_version', 'code_file_path', 'code_function_name', 'request_model', 'response_model'] as const satisfies ReadonlyArray<keyof UnpricedLlmSpan>;

/**
 * Feedback comments are free text written by end users: the likeliest place
 * for an address or a phone number. The user id gets the same pseudonym as
 * on that user's spans.
 */
export function redactFeedback<T extends { user_id?: string | undefined; comment?: string | undefined }>(items: T[], redactor: Redactor, tally: RedactionTally): T[] {
  if (!redactor.enabled) return items;
  return items.map((item) => {
    const redacted = { ...item };
    if (item.user_id) redacted.user_id = redactor.pseudonymize(item.user_id, tally);
    if (item.comment) redacted.comment = redactor.redact(item.comment, tally);
    return redacted;
  });
}

function redactValues(values: Record<string, string>, redactor: Redactor, tally: RedactionTally): void {
  for (const key of Object.keys(values)) values[key] = redactor.redact(values[key]!, tally);
}
