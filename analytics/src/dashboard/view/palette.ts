/**
 * Okabe & Ito's colours, distinguishable with the common colour-vision
 * deficiencies, ordered so the first series are the most distinct. Black is
 * left out (it reads as an axis); "other" is a neutral grey. Past seven keys
 * the colours repeat, which the charts avoid by drawing at most seven keys
 * plus "other".
 */
export const seriesPalette = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442'] as const;
export const otherColour = '#9A9A9A';
export const maxSeries = seriesPalette.length;

export function seriesColour(index: number): string {
  return seriesPalette[index % seriesPalette.length]!;
}
