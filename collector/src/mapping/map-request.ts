import type { FeedbackInput, MappingConfig, RejectedSpan, UnpricedLlmSpan } from '@spanlens/core';
import type { OtlpKeyValue, OtlpTraceRequest } from '../otlp/types';
import { textAt, toAttributeMap } from './attribute-lookup';
import { evaluationFeedback } from './evaluation-events';
import { mapSpan, type ResourceContext } from './map-span';
import { planFor, type MappingPlan } from './mapping-plan';
import { shorten } from './span-checks';
import { newMappingTally, storedResourceAttributes, truncateIdCounted, type CutHooks, type MappingTally } from './stored-attributes';

export interface MapTraceResult {
  /** LLM spans, ready to be priced. */
  spans: UnpricedLlmSpan[];
  /** LLM spans that failed a check; the receiver reports them in `partial_success`. */
  rejected: RejectedSpan[];
  /** Spans that are not LLM calls: received, counted, not stored. */
  skipped: number;
  /** Feedback carried by `gen_ai.evaluation.result` events, on any span. */
  evaluations: FeedbackInput[];
  /** Attributes dropped past the per-span cap, and values cut to the length cap. */
  tally: MappingTally;
}

/**
 * Maps every span of a decoded OTLP request. Pure: the same request and
 * options always give the same result, and a rejected span changes nothing
 * about its neighbours. `beforeCut` sees every value that is too long before
 * it is cut (see CutHooks).
 */
export function mapTraceRequest(request: OtlpTraceRequest, options: MappingConfig, beforeCut?: CutHooks): MapTraceResult {
  const result: MapTraceResult = { spans: [], rejected: [], skipped: 0, evaluations: [], tally: newMappingTally(beforeCut) };
  // Spans are numbered across the whole request, in the order they were sent.
  let index = 0;
  const plan = planFor(options);
  for (const resourceSpans of request.resourceSpans) {
    const resource = resourceContext(resourceSpans.resourceAttributes, options, plan, result.tally);
    for (const scopeSpans of resourceSpans.scopeSpans) {
      for (const span of scopeSpans.spans) {
        if (span.events.length > 0) result.evaluations.push(...evaluationFeedback(span));
        const outcome = mapSpan(span, resource, options, result.tally);
        if (outcome.kind === 'mapped') result.spans.push(outcome.span);
        else if (outcome.kind === 'skipped') result.skipped += 1;
        else {
          const trace = span.traceId === '' ? 'no trace id' : `trace ${shorten(span.traceId, 32)}`;
          result.rejected.push({ reason: outcome.reason, message: `span ${index} (${trace}): ${outcome.problem}` });
        }
        index += 1;
      }
    }
  }
  return result;
}

function resourceContext(attributes: OtlpKeyValue[], options: MappingConfig, plan: MappingPlan, tally: MappingTally): ResourceContext {
  const max = options.max_attribute_value_chars;
  const map = toAttributeMap(attributes);
  return {
    attributes: map,
    stored: storedResourceAttributes(attributes, max, options.resource_attribute_prefixes, tally),
    serviceName: truncateIdCounted(textAt(map, 'service.name'), max, tally),
    plan,
  };
}
