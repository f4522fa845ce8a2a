import type { Feedback, LlmSpan } from '@spanlens/core';

/**
 * Where accepted spans go: the in-process batcher (embedded) or a Kafka
 * producer (distributed). `submit` resolves only once the spans are durable
 * there, which is when the OTLP request may be acknowledged.
 */
export interface SpanSink {
  hasCapacity(spans: number): boolean;
  submit(spans: LlmSpan[]): Promise<void>;
}

/** Where accepted feedback goes: the store, or the feedback topic. Resolves once it is durable. */
export interface FeedbackSink {
  submit(feedback: Feedback[]): Promise<void>;
}
