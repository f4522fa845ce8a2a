import { describe, expect, it } from 'vitest';
import { createSeededRandom, type SeededRandom } from './seeded-random';
import { textDriftTest } from './text-drift';
import { createHashedNgramEmbedder, type TextEmbedder } from './text-embedding';

// Prompt generators in the shape real LLM traffic has: a few templates with
// slots filled from vocabularies.
interface PromptGenerator {
  templates: string[];
  slots: Record<string, string[]>;
}

const supportPrompts: PromptGenerator = {
  templates: [
    'Summarize the following customer {channel} about {issue} in {count} bullet points.',
    'You are a support agent. Reply politely to this {channel} from a customer who reports {issue}.',
    'Classify the urgency of this {channel} about {issue}: low, medium or high.',
  ],
  slots: {
    channel: ['email', 'chat message', 'ticket', 'voicemail transcript'],
    issue: ['a billing error', 'a late delivery', 'a broken login', 'a refund request', 'a damaged item', 'a missing invoice'],
    count: ['two', 'three', 'five'],
  },
};

const codingPrompts: PromptGenerator = {
  templates: [
    'Write a {language} function that {task}. Include unit tests.',
    'Explain what this {language} code does and how to {task} more efficiently.',
  ],
  slots: {
    language: ['Python', 'TypeScript', 'Rust', 'Go'],
    task: ['parses a CSV file', 'retries failed HTTP requests', 'merges two sorted lists', 'validates an email address'],
  },
};

function pick<T>(random: SeededRandom, values: readonly T[]): T {
  return values[random.integer(values.length)] as T;
}

function generate(generator: PromptGenerator, count: number, random: SeededRandom): string[] {
  return Array.from({ length: count }, () =>
    pick(random, generator.templates).replace(/\{(\w+)\}/g, (_, slot: string) => pick(random, generator.slots[slot] ?? [])),
  );
}

describe('textDriftTest', () => {
  const embedder = createHashedNgramEmbedder();

  it('finds no drift between two samples from the same prompt generator', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = createSeededRandom(seed);
      const result = textDriftTest(generate(supportPrompts, 300, random), generate(supportPrompts, 400, random), embedder);
      expect(result.drifted, `seed ${seed}`).toBe(false);
      expect(result.share, `seed ${seed}`).toBeLessThanOrEqual(0.1);
      expect(result.dimensionsTested).toBeGreaterThan(100);
    }
  });

  it('finds drift when the prompts change topic', () => {
    const random = createSeededRandom(11);
    const result = textDriftTest(generate(codingPrompts, 300, random), generate(supportPrompts, 400, random), embedder);
    expect(result.drifted).toBe(true);
    expect(result.share).toBeGreaterThan(0.5);
    expect(result.minAdjustedP).toBeLessThan(1e-20);
  });

  it('finds drift when a new template takes a third of the traffic', () => {
    const random = createSeededRandom(12);
    const mixed = [...generate(supportPrompts, 200, random), ...generate(codingPrompts, 100, random)];
    const result = textDriftTest(mixed, generate(supportPrompts, 400, random), embedder);
    expect(result.drifted).toBe(true);
  });

  it('counts only dimensions that vary, and honours alpha and share', () => {
    // A two-dimensional embedder whose second dimension is constant.
    const lengthEmbedder: TextEmbedder = { dimensions: 2, embed: (text) => Float64Array.from([text.length, 1]) };
    const short = Array.from({ length: 50 }, (_, i) => 'x'.repeat(1 + (i % 5)));
    const long = Array.from({ length: 50 }, (_, i) => 'x'.repeat(20 + (i % 5)));
    const result = textDriftTest(short, long, lengthEmbedder);
    expect(result).toMatchObject({ dimensionsTested: 1, dimensionsDrifted: 1, share: 1, drifted: true });
    expect(textDriftTest(short, long, lengthEmbedder, { share: 1 }).drifted).toBe(false);
    expect(textDriftTest(short, long, lengthEmbedder, { alpha: 1e-40 }).dimensionsDrifted).toBe(0);
  });

  it('reports nothing tested when every dimension is constant', () => {
    const result = textDriftTest(['?'], ['!'], embedder);
    expect(result).toEqual({ dimensionsTested: 0, dimensionsDrifted: 0, share: 0, drifted: false, minAdjustedP: 1 });
  });

  it('needs texts on both sides', () => {
    expect(() => textDriftTest([], ['a'], embedder)).toThrow(RangeError);
  });
});
