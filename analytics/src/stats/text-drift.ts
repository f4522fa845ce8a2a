// Drift of prompt text between two windows: embed every text, run a
// two-sample KS test on each embedding dimension, adjust the p-values across
// dimensions with Benjamini-Hochberg, and call the text drifted when more
// than a given share of dimensions differ. Per-dimension tests keep the
// method model-agnostic (any TextEmbedder works) and reuse the KS machinery
// already validated against SciPy.
import { benjaminiHochberg } from './benjamini-hochberg';
import { ksTest } from './ks-test';
import type { TextEmbedder } from './text-embedding';

export interface TextDriftOptions {
  /** False discovery rate for a dimension to count as drifted (default 0.05). */
  alpha?: number;
  /** The text is drifted when the share of drifted dimensions exceeds this (default 0.1). */
  share?: number;
}

export interface TextDriftResult {
  /** Dimensions that vary in at least one sample; constant ones carry no evidence and are skipped. */
  dimensionsTested: number;
  dimensionsDrifted: number;
  /** dimensionsDrifted / dimensionsTested (0 when nothing was tested). */
  share: number;
  drifted: boolean;
  /** The smallest BH-adjusted p-value (1 when nothing was tested). */
  minAdjustedP: number;
}

function embedAll(texts: readonly string[], embedder: TextEmbedder): Float64Array[] {
  return texts.map((text) => embedder.embed(text));
}

function column(vectors: readonly Float64Array[], dimension: number): Float64Array {
  return Float64Array.from(vectors, (vector) => vector[dimension] as number);
}

function isConstant(values: Float64Array, first: number): boolean {
  for (const value of values) if (value !== first) return false;
  return true;
}

export function textDriftTest(
  current: readonly string[],
  reference: readonly string[],
  embedder: TextEmbedder,
  options: TextDriftOptions = {},
): TextDriftResult {
  const alpha = options.alpha ?? 0.05;
  const threshold = options.share ?? 0.1;
  if (current.length === 0 || reference.length === 0) throw new RangeError('textDriftTest needs texts on both sides');
  const currentVectors = embedAll(current, embedder);
  const referenceVectors = embedAll(reference, embedder);
  const pValues: number[] = [];
  for (let dimension = 0; dimension < embedder.dimensions; dimension++) {
    const a = column(currentVectors, dimension);
    const b = column(referenceVectors, dimension);
    const first = a[0] as number;
    if (isConstant(a, first) && isConstant(b, first)) continue;
    pValues.push(ksTest(a, b).p);
  }
  const adjusted = benjaminiHochberg(pValues);
  const dimensionsDrifted = adjusted.filter((p) => p < alpha).length;
  const share = pValues.length > 0 ? dimensionsDrifted / pValues.length : 0;
  return {
    dimensionsTested: pValues.length,
    dimensionsDrifted,
    share,
    drifted: share > threshold,
    minAdjustedP: adjusted.length > 0 ? Math.min(...adjusted) : 1,
  };
}
