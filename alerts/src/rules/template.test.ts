import { describe, expect, it } from 'vitest';
import { checkTemplate, renderTemplate } from './template';

const context = { value: 0.0153, threshold: 0.01, baseline: null, labels: { feature: 'search', model: 'gpt-4o' }, rule: 'error-rate-warning' };

describe('renderTemplate', () => {
  it('fills names, labels and number formats', () => {
    expect(renderTemplate('{{ rule }}: {{ labels.feature }} on {{labels.model}} at {{ value | percent }} (over {{ threshold | percent }})', context))
      .toBe('error-rate-warning: search on gpt-4o at 1.53% (over 1%)');
  });

  it('formats dollars and milliseconds', () => {
    expect(renderTemplate('{{ value | usd }}', { ...context, value: 12.345 })).toBe('$12.35');
    expect(renderTemplate('{{ value | usd }}', { ...context, value: 0.00367 })).toBe('$0.00367');
    expect(renderTemplate('{{ value | ms }}', { ...context, value: 310.4 })).toBe('310 ms');
    expect(renderTemplate('{{ value | ms }}', { ...context, value: 2345 })).toBe('2.35 s');
    expect(renderTemplate('{{ value }}', { ...context, value: 1234.567 })).toBe('1235');
    expect(renderTemplate('{{ value }}', { ...context, value: 3 })).toBe('3');
  });

  it('renders a missing label empty and a missing number as n/a', () => {
    expect(renderTemplate('[{{ labels.prompt }}] {{ baseline | ms }}', context)).toBe('[] n/a');
  });
});

describe('checkTemplate', () => {
  it('accepts what renderTemplate knows', () => {
    expect(checkTemplate('{{ value | usd }} for {{ labels.user }} in {{ rule }}')).toBeNull();
  });

  it('names what it does not know', () => {
    expect(checkTemplate('{{ valeu }}')).toBe('unknown name "valeu" in {{ }} (expected value, threshold, baseline, rule or labels.<name>)');
    expect(checkTemplate('{{ value | dollars }}')).toBe('unknown format "dollars" (expected one of: number, percent, usd, ms)');
    expect(checkTemplate('{{ value ')).toBe('unclosed or malformed {{ }}');
  });
});
