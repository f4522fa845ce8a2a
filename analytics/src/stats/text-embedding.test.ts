import { describe, expect, it } from 'vitest';
import { readReference } from './reference/read-reference';
import { createHashedNgramEmbedder, fnv1a32, textFeatures, tokenizeWords } from './text-embedding';

interface EmbeddingReference {
  fnv1a32: Array<{ text: string; hash: number }>;
  embeddings: Array<{ text: string; dimensions: number; features: string[] | null; vector: number[] }>;
}

const [reference] = readReference<EmbeddingReference>('text-embedding.json').cases as [EmbeddingReference];

describe('fnv1a32', () => {
  it('gives the published FNV-1a test vectors', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });

  it('hashes UTF-8 bytes like the Python reference implementation', () => {
    for (const { text, hash } of reference.fnv1a32) expect(fnv1a32(text), text).toBe(hash);
  });
});

describe('textFeatures', () => {
  it('makes word unigrams, bigrams and boundary-aware character trigrams', () => {
    expect(textFeatures('Hello, World')).toEqual([
      'w:hello', 'w:world', 'b:hello world',
      'c: he', 'c:hel', 'c:ell', 'c:llo', 'c:lo ', 'c:o w', 'c: wo', 'c:wor', 'c:orl', 'c:rld', 'c:ld ',
    ]);
  });

  it('normalises width, case and ligatures, and keeps non-Latin scripts', () => {
    expect(tokenizeWords('ＡＢＣ １２３ ﬁne Straße')).toEqual(['abc', '123', 'fine', 'straße']);
    expect(tokenizeWords('日本語 テキスト')).toEqual(['日本語', 'テキスト']);
    expect(textFeatures('... !!')).toEqual([]);
  });
});

describe('createHashedNgramEmbedder', () => {
  it('matches an independent Python implementation of the same scheme', () => {
    for (const { text, dimensions, features, vector } of reference.embeddings) {
      if (features) expect(textFeatures(text), text).toEqual(features);
      const actual = createHashedNgramEmbedder({ dimensions }).embed(text);
      expect(actual).toHaveLength(dimensions);
      actual.forEach((value, i) => expect(Math.abs(value - (vector[i] as number)), `${text} [${i}]`).toBeLessThan(1e-15));
    }
  });

  it('returns unit vectors, and the zero vector for text without words', () => {
    const embedder = createHashedNgramEmbedder();
    expect(embedder.dimensions).toBe(128);
    const vector = embedder.embed('Write a haiku about observability');
    expect(Math.hypot(...vector)).toBeCloseTo(1, 14);
    expect(Array.from(embedder.embed('  ?! '))).toEqual(new Array(128).fill(0));
  });

  it('is deterministic and ignores spacing and punctuation noise', () => {
    const embedder = createHashedNgramEmbedder({ dimensions: 64 });
    expect(embedder.embed('Summarize this ticket.')).toEqual(embedder.embed('Summarize this ticket.'));
    expect(embedder.embed('summarize   THIS ticket')).toEqual(embedder.embed('Summarize this ticket.'));
  });

  it('puts similar texts closer than unrelated ones', () => {
    const embedder = createHashedNgramEmbedder({ dimensions: 256 });
    const cosine = (a: string, b: string) => {
      const x = embedder.embed(a);
      const y = embedder.embed(b);
      return x.reduce((sum, value, i) => sum + value * (y[i] as number), 0);
    };
    const near = cosine('Summarize the customer email about billing', 'Summarize the customer email about refunds');
    const far = cosine('Summarize the customer email about billing', 'Write a Python function that parses JSON');
    expect(near).toBeGreaterThan(far + 0.3);
  });

  it('rejects a non-positive dimension count', () => {
    expect(() => createHashedNgramEmbedder({ dimensions: 0 })).toThrow(RangeError);
  });
});
