/**
 * JSON.parse reads every number literal into a double, so an int64 sent as a
 * bare number (OTLP/JSON allows `"intValue": 9007199254740993` as well as the
 * string form) would be silently rounded. Before parsing, integer literals too
 * long to be certainly exact are wrapped in quotes; the OTLP decoder accepts
 * the string form of every numeric field, so nothing else changes.
 */

/** Integer literals with this many digits or more may exceed 2^53 (16 digits). */
const MIN_UNSAFE_DIGITS = 16;

export type ParseJsonResult = { ok: true; value: unknown } | { ok: false; error: string };

export function parseJsonExact(text: string): ParseJsonResult {
  let value: unknown;
  try {
    // Parse the original first so that error positions refer to what the client sent.
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${describeJsonError(err)}` };
  }
  const protectedText = quoteLargeIntegers(text);
  if (protectedText === null) return { ok: true, value };
  return { ok: true, value: JSON.parse(protectedText) };
}

/**
 * V8 quotes a slice of the input in some messages (`Unexpected token '}',
 * "{"a": }" is not valid JSON`, with `...` where it cut the slice). The body
 * may hold personal data, and this message goes back to the client and
 * possibly into logs, so the quoted slice is dropped.
 */
function describeJsonError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, '');
}

/**
 * Returns the text with long integer literals quoted, or null when there are
 * none (the common case, which then costs one linear scan and no second parse).
 * Only called on text that JSON.parse accepted, so the scan can assume valid JSON:
 * outside strings, a digit or minus sign always starts a number.
 */
export function quoteLargeIntegers(text: string): string | null {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      i = skipString(text, i + 1);
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i += 1;
      while (i < n && isNumberChar(text.charCodeAt(i))) i += 1;
      const literal = text.slice(start, i);
      if (isLongInteger(literal)) {
        parts.push(text.slice(copiedUpTo, start), '"', literal, '"');
        copiedUpTo = i;
      }
      continue;
    }
    i += 1;
  }
  if (parts.length === 0) return null;
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}

/** Index just past the closing quote of a string whose body starts at `i`. */
function skipString(text: string, i: number): number {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x5c /* \ */) i += 2;
    else if (c === 0x22) return i + 1;
    else i += 1;
  }
  return i;
}

function isNumberChar(c: number): boolean {
  // digits . e E + -
  return (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d;
}

function isLongInteger(literal: string): boolean {
  const digits = literal.startsWith('-') ? literal.length - 1 : literal.length;
  return digits >= MIN_UNSAFE_DIGITS && /^-?\d+$/.test(literal);
}
