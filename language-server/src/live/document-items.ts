/**
 * What the editor shows in one document: an item per LLM call site, prompt
 * id literal and prompt template, each with its one-line text, its hover and
 * the prompts it concerns. Pure: the document text, the workspace's call-site
 * rows for this file and the last snapshot in, items out, so lenses, inlay
 * hints, hovers and diagnostics all agree and are stable between refreshes.
 */
import type { AnnotationRow } from '@spanlens/core/editor-protocol';
import type { Pricer } from '@spanlens/core/pricing';
import { annotationText } from '../annotations/annotation-text';
import { estimatePromptCost, type PromptEstimate } from '../annotations/estimate';
import { hoverMarkdown } from '../annotations/hover-markdown';
import { literalPromptOf } from '../source/call-prompt';
import { findLlmCalls, type LlmCallSite } from '../source/llm-calls';
import { parsePromptFile } from '../source/prompt-file';
import { findPromptIds, type PromptIdOccurrence } from '../source/prompt-ids';
import { maskSource, type SourceLanguage } from '../source/source-text';
import { anchorLine } from '../source/span-anchor';
import { estimateSuffix, estimateSection } from './estimate-text';
import { mergeRows, promptDriftTests, promptRows, type LiveSnapshot } from './live-snapshot';
import { callBaseline, promptBaseline, type ProductionBaseline } from './production-baseline';

export type DocumentKind = SourceLanguage | 'prompt-file';

export interface DocumentItem {
  /** 0-based line and column the item belongs to. */
  line: number;
  character: number;
  kind: 'callsite' | 'prompt' | 'prompt-file';
  text: string;
  hover: string;
  /** Prompt keys or ids this item concerns, for alert and drift diagnostics. */
  prompts: string[];
  dashboardUrl: string;
}

export interface DocumentInput {
  path: string;
  text: string;
  kind: DocumentKind;
  /** The call-site rows whose `code.file.path` matched this file. */
  callsiteRows: readonly AnnotationRow[];
  snapshot: LiveSnapshot;
}

export interface ItemContext {
  pricer: Pricer;
  now: Date;
  dashboardUrl: string;
  /** Output tokens assumed by an estimate when production has no average. */
  expectedOutputTokens: number;
}

const WINDOW = '24h';

export function documentItems(input: DocumentInput, context: ItemContext): DocumentItem[] {
  if (input.kind === 'prompt-file') return promptFileItems(input, context);
  const languageId = input.kind;
  const items: DocumentItem[] = [];

  // The document is parsed once; every span row and call reads the same result.
  const calls = findLlmCalls(input.text, languageId);
  const masked = maskSource(input.text, languageId);
  const promptIds = findPromptIds(input.text, languageId);

  // Call-site rows, re-anchored on the current text and merged per line.
  const rowsByLine = new Map<number, AnnotationRow[]>();
  for (const row of input.callsiteRows) {
    const line = anchorLine({ spanLine: (row.line ?? 1) - 1, text: input.text, languageId, calls, ...(row.function ? { spanFunction: row.function } : {}), ...(row.models[0] ? { spanModel: row.models[0].model } : {}) });
    rowsByLine.set(line, [...(rowsByLine.get(line) ?? []), row]);
  }

  // Every recognised SDK call gets an item, with or without production data,
  // so the number of items does not change when data arrives or refreshes.
  const callLines = new Set<number>();
  for (const call of calls) {
    if (callLines.has(call.line)) continue;
    callLines.add(call.line);
    const row = mergeRows(rowsByLine.get(call.line) ?? []);
    const prompt = call.model === undefined ? undefined : literalPromptOf(input.text, languageId, call, masked);
    const baseline = prompt === undefined ? undefined : callBaseline(row, promptIdInside(promptIds, call), input.snapshot.prompts);
    const estimate = prompt === undefined || call.model === undefined ? undefined : estimateFor(prompt, call.model, call.provider, baseline, context);
    // Before the API has ever answered, only what can be said without it is shown.
    if (row === undefined && estimate === undefined && input.snapshot.fetchedAt === null) continue;
    items.push(callsiteItem({ line: call.line, character: call.character, row, estimate, baseline, title: `${baseName(input.path)}:${call.line + 1}` }, input.snapshot, context));
  }
  for (const [line, rows] of rowsByLine) {
    if (callLines.has(line)) continue;
    const indent = /^\s*/.exec(input.text.split('\n')[line] ?? '')?.[0].length ?? 0;
    items.push(callsiteItem({ line, character: indent, row: mergeRows(rows), estimate: undefined, baseline: undefined, title: `${baseName(input.path)}:${line + 1}` }, input.snapshot, context));
  }

  for (const occurrence of promptIds) {
    const row = mergeRows(promptRows(input.snapshot.prompts, occurrence.id, occurrence.version));
    if (row === undefined && input.snapshot.fetchedAt === null) continue;
    const key = occurrence.version ? `${occurrence.id}@${occurrence.version}` : occurrence.id;
    items.push(promptItem({ line: occurrence.line, character: occurrence.character, key, id: occurrence.id, row, estimate: undefined, baseline: undefined }, input.snapshot, context));
  }
  return items.sort((a, b) => a.line - b.line || a.character - b.character);
}

function promptFileItems(input: DocumentInput, context: ItemContext): DocumentItem[] {
  const parsed = parsePromptFile(input.path, input.text);
  if (!parsed.ok) return [];
  const { prompt } = parsed;
  const row = mergeRows(promptRows(input.snapshot.prompts, prompt.id, prompt.version));
  // A prompt file being edited usually carries a new version; its estimate is
  // compared with the version production runs.
  const baseline = promptBaseline(input.snapshot.prompts, prompt.id, prompt.version);
  const estimate = prompt.model ? estimateFor(prompt.template, prompt.model, undefined, baseline, context) : undefined;
  if (row === undefined && estimate === undefined && input.snapshot.fetchedAt === null) return [];
  const key = prompt.version ? `${prompt.id}@${prompt.version}` : prompt.id;
  return [{ ...promptItem({ line: prompt.line, character: 0, key, id: prompt.id, row, estimate, baseline }, input.snapshot, context), kind: 'prompt-file' }];
}

interface ItemData {
  line: number;
  character: number;
  row: AnnotationRow | undefined;
  estimate: PromptEstimate | undefined;
  /** What the estimate is compared with. */
  baseline: ProductionBaseline | undefined;
}

function callsiteItem(data: ItemData & { title: string }, snapshot: LiveSnapshot, context: ItemContext): DocumentItem {
  const prompts = data.row?.prompts ?? [];
  const url = data.row?.key ? `${context.dashboardUrl}/prompts?callsite=${encodeURIComponent(data.row.key)}` : `${context.dashboardUrl}/prompts`;
  return { line: data.line, character: data.character, kind: 'callsite', ...texts(data, data.title, prompts, snapshot, context, url), prompts, dashboardUrl: url };
}

function promptItem(data: ItemData & { key: string; id: string }, snapshot: LiveSnapshot, context: ItemContext): DocumentItem {
  const prompts = data.row ? [...new Set([data.key, ...(data.row.prompts.length > 0 ? data.row.prompts : [data.row.key])])] : [data.key];
  const url = `${context.dashboardUrl}/prompts?prompt=${encodeURIComponent(data.id)}`;
  return { line: data.line, character: data.character, kind: 'prompt', ...texts(data, `prompt ${data.key}`, prompts, snapshot, context, url), prompts, dashboardUrl: url };
}

function texts(data: ItemData, title: string, prompts: readonly string[], snapshot: LiveSnapshot, context: ItemContext, url: string): { text: string; hover: string } {
  const { row, estimate, baseline } = data;
  const suffix = estimate ? estimateSuffix(estimate, baseline) : '';
  const stats = row
    ? annotationText({
        costPerCall: row.cost_per_call_usd,
        calls24h: row.calls,
        cost24h: row.cost_usd,
        p95Ms: row.calls > 0 ? row.p95_ms : null,
        satisfaction: { rate: row.satisfaction.rate, votes: row.satisfaction.votes },
        unpriced: row.calls > 0 && row.unpriced_calls === row.calls,
      })
    : snapshot.fetchedAt === null
      ? ''
      : 'no calls in 24h';
  const text = [stats, suffix].filter((part) => part !== '').join(' · ') || 'Spanlens: waiting for data';
  const hover = hoverMarkdown({
    title,
    models: (row?.models ?? []).map((model) => ({ model: model.model, calls: model.calls, costUsd: row && row.unpriced_calls === row.calls ? null : model.cost_usd })),
    calls: row?.calls ?? 0,
    costUsd: row && row.calls > 0 && row.unpriced_calls === row.calls ? null : (row?.cost_usd ?? 0),
    costPerCall: row?.cost_per_call_usd ?? null,
    p95Ms: row && row.calls > 0 ? row.p95_ms : null,
    tokens: row?.tokens ?? { input: 0, output: 0, cached: 0 },
    errorRate: row && row.calls > 0 ? row.error_rate : null,
    trend: row ? { cost: change(row.cost_usd, row.previous_week.cost_usd), calls: change(row.calls, row.previous_week.calls) } : null,
    satisfaction: row ? { rate: row.satisfaction.rate, votes: row.satisfaction.votes } : null,
    drift: driftStatus(prompts, snapshot),
    window: WINDOW,
    fetchedAt: snapshot.fetchedAt ?? context.now,
    dashboardUrl: url,
  });
  return { text, hover: estimate ? `${hover}\n\n${estimateSection(estimate, baseline)}` : hover };
}

function estimateFor(prompt: string, model: string, provider: string | undefined, baseline: ProductionBaseline | undefined, context: ItemContext): PromptEstimate {
  // Production's mean output per call is the best guess of what this prompt
  // will produce; without production data, the configured default.
  const row = baseline?.row;
  const outputTokens = row && row.calls > 0 ? row.tokens.output / row.calls : context.expectedOutputTokens;
  return estimatePromptCost({ text: prompt, model, ...(provider && provider !== 'unknown' ? { provider } : {}), expectedOutputTokens: outputTokens }, { pricer: context.pricer, at: context.now });
}

/** The prompt id (and version) written inside an SDK call's parentheses, if any. */
function promptIdInside(occurrences: readonly PromptIdOccurrence[], call: LlmCallSite): { id: string; version?: string } | undefined {
  const inside = occurrences.find((o) => after(o, call.line, call.character) && !after(o, call.endLine, call.endCharacter));
  return inside === undefined ? undefined : { id: inside.id, ...(inside.version === undefined ? {} : { version: inside.version }) };
}

function after(position: { line: number; character: number }, line: number, character: number): boolean {
  return position.line > line || (position.line === line && position.character >= character);
}

function change(current: number, previous: number): number | null {
  return previous > 0 ? current / previous - 1 : null;
}

function driftStatus(prompts: readonly string[], snapshot: LiveSnapshot): { status: 'stable' | 'drifting'; detail?: string } | null {
  const tests = promptDriftTests(snapshot.drift, prompts);
  if (tests.length === 0) return null;
  const drifted = tests.filter((test) => test.drifted);
  if (drifted.length === 0) return { status: 'stable' };
  return { status: 'drifting', detail: drifted.map((test) => `${test.metric} D=${test.d.toFixed(2)}`).join(', ') };
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
