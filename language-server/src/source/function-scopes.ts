/**
 * Named function scopes found textually: enough structure to say which
 * function encloses a call, without a parser. TypeScript/JavaScript scopes are
 * found by brace matching after a recognised header; Python scopes by
 * indentation. Anonymous callbacks are not scopes, so a call inside one is
 * attributed to the named function around it, which is what a span's
 * `code.function` usually reports.
 */
import { matchingBracketEnd, positionAt, type MaskedSource, type SourceLanguage } from './source-text';

export interface FunctionScope {
  readonly name: string;
  /** Offsets of the header start and the end of the body. */
  readonly start: number;
  readonly end: number;
  /** 0-based line of the header. */
  readonly line: number;
}

const NOT_A_NAME = new Set([
  'if', 'for', 'while', 'switch', 'catch', 'with', 'return', 'function', 'typeof', 'await', 'new', 'super', 'do', 'else', 'yield',
]);

// `function name(`, `function* name<T>(`
const FUNCTION_DECLARATION = /\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>()]*>)?\s*\(/g;
// `const name = async (`, `name: (`, `handler = function (`, class fields `private name = (`.
const ASSIGNED_FUNCTION = /(?:^|[\s,{;])([A-Za-z_$][\w$]*)\s*(?::\s*[^=;(){}]+?)?\s*[:=]\s*(?:async\s+)?(?:function\b\s*\*?\s*[\w$]*\s*)?(?:<[^>()]*>\s*)?\(/g;
// `const name = async x =>`
const ASSIGNED_SINGLE_PARAMETER_ARROW = /(?:^|[\s,{;])([A-Za-z_$][\w$]*)\s*[:=]\s*(?:async\s+)?[A-Za-z_$][\w$]*\s*=>/g;
// Methods in classes and object literals: `async name(`, `static *name<T>(` at a line start.
const METHOD = /^[ \t]*(?:(?:public|private|protected|static|async|override|readonly|get|set)\s+)*\*?\s*([A-Za-z_$][\w$]*)\s*(?:<[^>()]*>)?\s*\(/gm;
const PYTHON_DEF = /^([ \t]*)(?:async\s+)?def\s+([A-Za-z_]\w*)\s*\(/gm;

export function findFunctionScopes(source: MaskedSource, languageId: SourceLanguage): FunctionScope[] {
  const scopes = languageId === 'python' ? pythonScopes(source) : scriptScopes(source);
  return scopes.sort((a, b) => a.start - b.start);
}

/** The innermost named scope containing `offset`. */
export function enclosingFunction(scopes: readonly FunctionScope[], offset: number): FunctionScope | undefined {
  let best: FunctionScope | undefined;
  for (const scope of scopes) {
    if (scope.start <= offset && offset < scope.end && (best === undefined || scope.start >= best.start)) best = scope;
  }
  return best;
}

function scriptScopes(source: MaskedSource): FunctionScope[] {
  const { code } = source;
  const found = new Map<number, FunctionScope>();
  const add = (name: string, start: number, end: number | undefined): void => {
    if (end === undefined || NOT_A_NAME.has(name) || found.has(start)) return;
    found.set(start, { name, start, end, line: positionAt(source, start).line });
  };
  for (const m of code.matchAll(FUNCTION_DECLARATION)) {
    add(m[1]!, m.index, bodyEnd(code, m.index + m[0].length - 1, 'block'));
  }
  for (const m of code.matchAll(ASSIGNED_FUNCTION)) {
    const start = m.index + m[0].indexOf(m[1]!);
    const kind = /\bfunction\b/.test(m[0]) ? 'block' : 'arrow';
    add(m[1]!, start, bodyEnd(code, m.index + m[0].length - 1, kind));
  }
  for (const m of code.matchAll(ASSIGNED_SINGLE_PARAMETER_ARROW)) {
    const start = m.index + m[0].indexOf(m[1]!);
    add(m[1]!, start, arrowBodyEnd(code, m.index + m[0].length));
  }
  for (const m of code.matchAll(METHOD)) {
    const start = m.index + m[0].indexOf(m[1]!);
    add(m[1]!, start, bodyEnd(code, m.index + m[0].length - 1, 'block'));
  }
  return [...found.values()];
}

/**
 * From a parameter list's `(`, the end of the function body: a `{...}` block
 * after an optional return type, or for arrows an expression body.
 */
function bodyEnd(code: string, openParen: number, kind: 'block' | 'arrow'): number | undefined {
  const closeParen = matchingBracketEnd(code, openParen);
  if (closeParen < 0) return undefined;
  let i = skipSpace(code, closeParen);
  if (code[i] === ':') i = skipReturnType(code, i + 1);
  if (kind === 'arrow') {
    if (!code.startsWith('=>', i)) return undefined;
    return arrowBodyEnd(code, i + 2);
  }
  if (code[i] !== '{') return undefined;
  const end = matchingBracketEnd(code, i);
  return end < 0 ? undefined : end;
}

function arrowBodyEnd(code: string, afterArrow: number): number | undefined {
  const i = skipSpace(code, afterArrow);
  if (code[i] === '{') {
    const end = matchingBracketEnd(code, i);
    return end < 0 ? undefined : end;
  }
  // An expression body runs to the first `;`, `,` or closing bracket at its own depth.
  let depth = 0;
  for (let j = i; j < code.length; j++) {
    const ch = code[j]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) return j;
      depth--;
    } else if ((ch === ';' || ch === ',') && depth === 0) return j;
  }
  return code.length;
}

/** Skips a return type annotation up to the body's `{` or an arrow's `=>`, minding generics. */
function skipReturnType(code: string, from: number): number {
  let angle = 0;
  for (let i = from; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '<') angle++;
    else if (ch === '>' && code[i - 1] !== '=') angle--;
    else if (angle <= 0 && ch === '{' && /[\w$>\])]\s*$/.test(code.slice(Math.max(from, i - 40), i))) return i;
    else if (angle <= 0 && code.startsWith('=>', i)) return i;
    else if (ch === ';') return i;
    else if (angle > 0 && ch === '{') {
      const end = matchingBracketEnd(code, i);
      if (end < 0) return i;
      i = end - 1;
    }
  }
  return code.length;
}

function skipSpace(code: string, from: number): number {
  let i = from;
  while (i < code.length && /\s/.test(code[i]!)) i++;
  return i;
}

function pythonScopes(source: MaskedSource): FunctionScope[] {
  const { code } = source;
  const scopes: FunctionScope[] = [];
  for (const m of code.matchAll(PYTHON_DEF)) {
    const indent = m[1]!.replace(/\t/g, '        ').length;
    const start = m.index + m[1]!.length;
    scopes.push({ name: m[2]!, start, end: pythonBlockEnd(source, m.index, indent), line: positionAt(source, start).line });
  }
  return scopes;
}

/**
 * A block ends before the first non-blank line, outside brackets, indented no
 * deeper than its header.
 */
function pythonBlockEnd(source: MaskedSource, headerStart: number, indent: number): number {
  const { code } = source;
  let depth = 0;
  let atLineStart = false;
  for (let i = headerStart; i < code.length; i++) {
    const ch = code[i]!;
    if (atLineStart && depth === 0) {
      const lineEnd = code.indexOf('\n', i);
      const lineText = code.slice(i, lineEnd < 0 ? code.length : lineEnd);
      if (lineText.trim() !== '') {
        const lineIndent = /^[ \t]*/.exec(lineText)![0].replace(/\t/g, '        ').length;
        if (lineIndent <= indent) return i;
      }
    }
    atLineStart = ch === '\n';
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
  }
  return code.length;
}
