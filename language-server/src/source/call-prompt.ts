/**
 * The literal prompt text of an LLM SDK call, for the before-it-ships
 * estimate: the string values of the keys SDKs take prompt text under
 * (`content`, `system`, `prompt`, `input`, `instructions`, `text`), in order.
 * A call whose prompt is built at run time (a variable, a template with
 * substitutions) has no literal prompt, and gets no estimate rather than a
 * wrong one.
 */
import type { LlmCallSite } from './llm-calls';
import { maskSource, type MaskedSource, type SourceLanguage } from './source-text';

const PROMPT_KEY = /(?<![\w$.])["']?(?:content|system|prompt|input|instructions|text)["']?\s*(?::|=(?!=))\s*(?=["'`])/g;

/** `source`: the text already masked, when the caller reads several calls of one document. */
export function literalPromptOf(text: string, languageId: SourceLanguage, call: LlmCallSite, source: MaskedSource = maskSource(text, languageId)): string | undefined {
  const from = offsetOf(source.lineStarts, call.line, call.character);
  const to = offsetOf(source.lineStarts, call.endLine, call.endCharacter);
  const parts: string[] = [];
  const pattern = new RegExp(PROMPT_KEY.source, PROMPT_KEY.flags);
  pattern.lastIndex = from;
  // Keys are often quoted (`"content": "…"`, Python dicts), so keys are found
  // in the text with only comments removed.
  for (let m = pattern.exec(source.withoutComments); m !== null && m.index < to; m = pattern.exec(source.withoutComments)) {
    const literal = literalAt(text, m.index + m[0].length, languageId);
    if (literal === undefined) return undefined;
    parts.push(literal);
  }
  return parts.length > 0 ? parts.join('\n') : undefined;
}

function offsetOf(lineStarts: readonly number[], line: number, character: number): number {
  return (lineStarts[line] ?? 0) + character;
}

/** A string literal's value with its escapes read; undefined for templates with substitutions. */
function literalAt(text: string, quote: number, languageId: SourceLanguage): string | undefined {
  const ch = text[quote]!;
  const triple = languageId === 'python' && text.startsWith(ch.repeat(3), quote);
  if (triple) {
    const close = text.indexOf(ch.repeat(3), quote + 3);
    return close < 0 ? undefined : unescape(text.slice(quote + 3, close));
  }
  let value = '';
  for (let i = quote + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      value += escaped(text[i + 1] ?? '');
      i++;
    } else if (c === ch) {
      return value;
    } else if (ch === '`' && c === '$' && text[i + 1] === '{') {
      return undefined;
    } else if (c === '\n' && ch !== '`') {
      return undefined;
    } else {
      value += c;
    }
  }
  return undefined;
}

function unescape(raw: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => escaped(c));
}

function escaped(c: string): string {
  return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c;
}
