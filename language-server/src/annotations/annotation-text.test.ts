import { describe, expect, it } from 'vitest';
import { annotationText, type AnnotationStats } from './annotation-text';

const full: AnnotationStats = {
  costPerCall: 0.0042,
  calls24h: 12_345,
  cost24h: 51.7,
  p95Ms: 1800,
  satisfaction: { rate: 0.913, votes: 220 },
};

describe('annotationText', () => {
  it('shows every part when all data is there', () => {
    expect(annotationText(full)).toBe('$0.0042/call · 12.3k calls · $51.70/24h · p95 1.8s · 👍 91%');
  });

  it('leaves out latency and satisfaction without data', () => {
    expect(annotationText({ ...full, p95Ms: null, satisfaction: null })).toBe('$0.0042/call · 12.3k calls · $51.70/24h');
    expect(annotationText({ ...full, satisfaction: { rate: null, votes: 0 } })).toBe('$0.0042/call · 12.3k calls · $51.70/24h · p95 1.8s');
  });

  it('says the model is unpriced instead of showing costs', () => {
    expect(annotationText({ ...full, costPerCall: null, cost24h: 0 })).toBe('unpriced model · 12.3k calls · p95 1.8s · 👍 91%');
    expect(annotationText({ ...full, unpriced: true })).toBe('unpriced model · 12.3k calls · p95 1.8s · 👍 91%');
  });

  it('says when there were no calls, keeping a known per-call cost', () => {
    expect(annotationText({ ...full, calls24h: 0, cost24h: 0, p95Ms: null, satisfaction: null })).toBe('$0.0042/call · no calls in 24h');
    expect(annotationText({ costPerCall: null, calls24h: 0, cost24h: 0, p95Ms: null, satisfaction: null })).toBe('no calls in 24h');
  });

  it('uses the singular for one call', () => {
    expect(annotationText({ costPerCall: 0.042, calls24h: 1, cost24h: 0.042, p95Ms: 850, satisfaction: null })).toBe('$0.042/call · 1 call · $0.042/24h · p95 850ms');
  });
});
