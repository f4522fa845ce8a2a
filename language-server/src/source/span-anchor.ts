/**
 * Where a span's annotation goes. Spans record the path and line of the code
 * that was deployed, which is rarely the workspace copy: paths are build or
 * container paths, and lines drift as the file is edited. The file is matched
 * by path suffix and the line re-anchored on the call in the same function.
 */
import { findFunctionScopes } from './function-scopes';
import { findLlmCalls, type LlmCallSite } from './llm-calls';
import { maskSource, positionAt, type SourceLanguage } from './source-text';

/**
 * The workspace file sharing the longest run of trailing path segments with
 * the span's `code.file.path`, or undefined when none shares the file name or
 * two files share equally long suffixes (ambiguous).
 */
export function matchSpanPath(spanFilePath: string, workspaceFiles: readonly string[]): string | undefined {
  const spanSegments = pathSegments(spanFilePath);
  let best: string | undefined;
  let bestLength = 0;
  let tied = false;
  for (const file of workspaceFiles) {
    const length = commonSuffixLength(spanSegments, pathSegments(file));
    if (length > bestLength) {
      best = file;
      bestLength = length;
      tied = false;
    } else if (length === bestLength && length > 0) {
      tied = true;
    }
  }
  return tied ? undefined : best;
}

export interface AnchorLineOptions {
  /** The span's line, 0-based (OTel's `code.line.number` minus one). */
  readonly spanLine: number;
  /** The span's `code.function`; a qualified name (`ChatService.reply`) matches on its last part. */
  readonly spanFunction?: string;
  /**
   * The span's requested model. When one function makes several calls, a
   * call whose literal model matches is preferred: after lines are inserted
   * above the calls, the nearest line alone can pick the wrong one.
   */
  readonly spanModel?: string;
  readonly text: string;
  readonly languageId: SourceLanguage;
  /** The text's LLM calls when the caller already found them (one document, many spans); found here otherwise. */
  readonly calls?: readonly LlmCallSite[];
}

/**
 * The 0-based line to annotate. When the span's function still exists, the
 * LLM call inside it (one whose range holds the span's line, else one with the
 * span's model, else the nearest to the span's line), so edits above the call
 * keep the annotation on it; if that function has no recognised call, the span's
 * line when it still falls inside the function, else the function's header.
 * Otherwise the span's line, clamped to the file.
 */
export function anchorLine(options: AnchorLineOptions): number {
  const { spanLine, text, languageId } = options;
  const name = options.spanFunction?.split(/[.:#]/).pop();
  const lastLine = Math.max(0, text.split('\n').length - 1);
  const clamped = Math.min(Math.max(0, spanLine), lastLine);
  if (name === undefined || name === '') return clamped;

  const inFunction = (options.calls ?? findLlmCalls(text, languageId)).filter((call) => call.functionName === name);
  // A call written with another model cannot be the span's, even when the
  // span's old line now falls inside it; calls without a literal model can.
  const compatible = inFunction.filter((call) => call.model === undefined || options.spanModel === undefined || isSameModel(call.model, options.spanModel));
  const calls = compatible.length > 0 ? compatible : inFunction;
  const spanning = calls.find((call) => call.line <= spanLine && spanLine <= call.endLine);
  if (spanning !== undefined) return spanning.line;
  const sameModel = calls.filter((call) => call.model !== undefined && isSameModel(call.model, options.spanModel));
  const nearestCall = nearest((sameModel.length > 0 ? sameModel : calls).map((call) => call.line), spanLine);
  if (nearestCall !== undefined) return nearestCall;

  const source = maskSource(text, languageId);
  const scopes = findFunctionScopes(source, languageId).filter((scope) => scope.name === name);
  const containing = scopes.find((scope) => {
    const endLine = positionAt(source, scope.end).line;
    return scope.line <= spanLine && spanLine <= endLine;
  });
  if (containing !== undefined) return spanLine;
  return nearest(scopes.map((scope) => scope.line), spanLine) ?? clamped;
}

/** A span may record a dated snapshot (`gpt-4o-2024-08-06`) of the model written in code (`gpt-4o`). */
/**
 * The recorded (response) model is the written one or a dated snapshot of it
 * (`gpt-4o` → `gpt-4o-2024-08-06`), but not a sibling that shares a prefix
 * (`gpt-4o` is not `gpt-4o-mini`).
 */
function isSameModel(written: string, recorded: string | undefined): boolean {
  if (recorded === undefined) return false;
  return recorded === written || (recorded.startsWith(`${written}-`) && /^\d/.test(recorded.slice(written.length + 1)));
}

function nearest(lines: readonly number[], target: number): number | undefined {
  let best: number | undefined;
  for (const line of lines) {
    // On equal distance the later line wins: insertions above a call push it down.
    if (best === undefined || Math.abs(line - target) < Math.abs(best - target) || (Math.abs(line - target) === Math.abs(best - target) && line > best)) {
      best = line;
    }
  }
  return best;
}

function pathSegments(path: string): string[] {
  const withoutScheme = path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
  return withoutScheme.split(/[\\/]+/).filter((segment) => segment !== '' && segment !== '.');
}

function commonSuffixLength(a: readonly string[], b: readonly string[]): number {
  let length = 0;
  while (length < a.length && length < b.length && a[a.length - 1 - length] === b[b.length - 1 - length]) length++;
  return length;
}
