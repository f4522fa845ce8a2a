export { formatUsd, formatCount, formatDuration, formatPercent } from './format';
export { annotationText } from './annotation-text';
export type { AnnotationStats } from './annotation-text';
export { hoverMarkdown } from './hover-markdown';
export type { HoverDetails } from './hover-markdown';
export { estimatePromptCost, encodingForModel } from './estimate';
export type { PromptEstimate, PromptEstimateInput, PromptEncoding } from './estimate';
