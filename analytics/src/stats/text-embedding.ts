// Text embedding for drift detection of prompt text, behind a small port so
// a learned model can replace the default without touching the drift test.
//
// The default is feature hashing (Weinberger et al. 2009): word unigrams,
// word bigrams and character trigrams are hashed into a fixed number of
// buckets, each with a hashed sign so that collisions cancel on average
// instead of piling up. It needs no model download, and FNV-1a over UTF-8
// bytes makes it identical on every run and platform.

export interface TextEmbedder {
  dimensions: number;
  /** A vector of length `dimensions`; the zero vector for text with no features. */
  embed(text: string): Float64Array;
}

export interface HashedNgramEmbedderOptions {
  /** Number of hash buckets (default 128). */
  dimensions?: number;
}

const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const encoder = new TextEncoder();

/** FNV-1a, 32-bit, over the UTF-8 bytes of the text. */
export function fnv1a32(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, FNV_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/** Lower-cased, NFKC-normalised words: runs of letters and digits. */
export function tokenizeWords(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * The hashed features of a text. Prefixes keep the three kinds apart (the
 * word "the" and the trigram "the" are different features). Trigrams run over
 * the words joined by single spaces with a space at each end, so they see
 * word boundaries but not punctuation or spacing noise.
 */
export function textFeatures(text: string): string[] {
  const words = tokenizeWords(text);
  const features: string[] = [];
  for (const word of words) features.push(`w:${word}`);
  for (let i = 1; i < words.length; i++) features.push(`b:${words[i - 1]} ${words[i]}`);
  const characters = Array.from(` ${words.join(' ')} `);
  if (words.length > 0) {
    for (let i = 0; i + 3 <= characters.length; i++) features.push(`c:${characters.slice(i, i + 3).join('')}`);
  }
  return features;
}

/**
 * Bucket = hash mod dimensions; sign = the hash's top bit. For power-of-two
 * dimensions the bucket uses the low bits, so bucket and sign are independent.
 */
export function createHashedNgramEmbedder(options: HashedNgramEmbedderOptions = {}): TextEmbedder {
  const dimensions = options.dimensions ?? 128;
  if (!Number.isInteger(dimensions) || dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
  return {
    dimensions,
    embed(text: string): Float64Array {
      const vector = new Float64Array(dimensions);
      for (const feature of textFeatures(text)) {
        const hash = fnv1a32(feature);
        const bucket = hash % dimensions;
        vector[bucket] = (vector[bucket] as number) + (hash >>> 31 === 1 ? -1 : 1);
      }
      let squares = 0;
      for (const value of vector) squares += value * value;
      if (squares === 0) return vector;
      const norm = Math.sqrt(squares);
      for (let i = 0; i < dimensions; i++) vector[i] = (vector[i] as number) / norm;
      return vector;
    },
  };
}
