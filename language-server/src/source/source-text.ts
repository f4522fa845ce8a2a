/**
 * Lexical groundwork shared by the source scanners: which languages we read,
 * a masked copy of the text in which comments and string contents are blanked
 * (so regexes and bracket matching only see code), and offset/position maps.
 * Masking keeps every character's offset, so a match in the masked text is at
 * the same place in the original.
 */
export type SourceLanguage = 'typescript' | 'javascript' | 'python';

export interface MaskedSource {
  readonly text: string;
  /** Comments and string contents replaced by spaces; quotes and newlines kept. */
  readonly code: string;
  /** Only comments replaced by spaces; strings kept, for keys written as strings. */
  readonly withoutComments: string;
  readonly lineStarts: readonly number[];
}

export interface Position {
  readonly line: number;
  readonly character: number;
}

export function maskSource(text: string, languageId: SourceLanguage): MaskedSource {
  const code = text.split('');
  const withoutComments = text.split('');
  const blank = (target: string[], from: number, to: number): void => {
    for (let i = from; i < to; i++) if (target[i] !== '\n' && target[i] !== '\r') target[i] = ' ';
  };
  const python = languageId === 'python';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    const next = text[i + 1];
    if ((python && ch === '#') || (!python && ch === '/' && next === '/')) {
      const end = indexOrEnd(text, '\n', i);
      blank(code, i, end);
      blank(withoutComments, i, end);
      i = end;
    } else if (!python && ch === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      blank(code, i, end);
      blank(withoutComments, i, end);
      i = end;
    } else if (ch === '"' || ch === "'" || (!python && ch === '`')) {
      const triple = python && text.startsWith(ch.repeat(3), i);
      const end = triple ? tripleStringEnd(text, i, ch) : stringEnd(text, i, ch, ch === '`');
      // Keep the opening quote so a literal can still be found from `code`; a
      // triple-quoted string's closing quotes go too, because they often sit at
      // column 0 and would otherwise read as a dedent.
      const quoteLength = triple ? 3 : 1;
      blank(code, i + quoteLength, triple ? end : Math.max(i + quoteLength, end - 1));
      i = end;
    } else {
      i++;
    }
  }
  return { text, code: code.join(''), withoutComments: withoutComments.join(''), lineStarts: lineStartsOf(text) };
}

export function positionAt(source: MaskedSource, offset: number): Position {
  const starts = source.lineStarts;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid]! <= offset) low = mid;
    else high = mid - 1;
  }
  return { line: low, character: offset - starts[low]! };
}

/** Offset just past the bracket matching the one at `open`, or -1 if unbalanced. */
export function matchingBracketEnd(code: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  for (let i = open; i < code.length; i++) {
    const ch = code[i]!;
    if (pairs[ch] !== undefined) stack.push(pairs[ch]!);
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (stack.pop() !== ch) return -1;
      if (stack.length === 0) return i + 1;
    }
  }
  return -1;
}

/** The value of the string literal whose opening quote is at `quote` in the original text. */
export function stringLiteralAt(source: MaskedSource, quote: number): string | undefined {
  const ch = source.text[quote];
  if (ch !== '"' && ch !== "'" && ch !== '`') return undefined;
  const end = stringEnd(source.text, quote, ch, ch === '`');
  const value = source.text.slice(quote + 1, end - 1);
  // A template with substitutions has no single literal value.
  return ch === '`' && value.includes('${') ? undefined : value;
}

function stringEnd(text: string, start: number, quote: string, multiline: boolean): number {
  for (let i = start + 1; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === quote) return i + 1;
    else if (ch === '\n' && !multiline) return i;
  }
  return text.length;
}

function tripleStringEnd(text: string, start: number, quote: string): number {
  const close = text.indexOf(quote.repeat(3), start + 3);
  return close < 0 ? text.length : close + 3;
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const at = text.indexOf(needle, from);
  return at < 0 ? text.length : at;
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}
