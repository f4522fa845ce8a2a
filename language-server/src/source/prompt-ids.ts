/**
 * Prompt ids written as literals next to the keys that tracing libraries use
 * to tag spans with a prompt, so the editor can annotate where a prompt is
 * used. Keys are often written as strings (`'spanlens.prompt.id': 'x'`), so
 * this scans text with only comments removed.
 */
import { PROMPT_KEY_PAIRS } from '@spanlens/core/prompt-keys';
import { maskSource, positionAt, stringLiteralAt, type MaskedSource, type SourceLanguage } from './source-text';

export interface PromptIdOccurrence {
  readonly id: string;
  readonly version?: string;
  /** 0-based position of the id's first character inside its quotes. */
  readonly line: number;
  readonly character: number;
}

interface PromptKey {
  /** Must end just before the opening quote of the id literal. */
  readonly pattern: RegExp;
  /** Where the matching version is written, searched in the same brackets. */
  readonly version: RegExp;
}

const Q = `["'\`]`;
const SEPARATOR = `\\s*(?:[:=,]|=>)\\s*`;

/** The attribute keys the collector reads prompt ids from, written as `'key': 'id'` or `setAttribute('key', 'id')`. */
const ATTRIBUTE_KEYS: readonly PromptKey[] = PROMPT_KEY_PAIRS.map(([id, version]) => ({
  pattern: new RegExp(`${Q}${escapeRegExp(id)}${Q}${SEPARATOR}(?=${Q})`, 'g'),
  version: new RegExp(`${Q}${escapeRegExp(version)}${Q}${SEPARATOR}`, 'g'),
}));

const PROMPT_KEYS: readonly PromptKey[] = [
  ...ATTRIBUTE_KEYS,
  {
    // Options of helpers such as `@spanlens/sdk`'s `traceLlmCall({ promptId, promptVersion })`.
    pattern: new RegExp(`(?<![\\w$.])${Q}?(?:promptId|prompt_id)${Q}?\\s*(?::|=(?!=))\\s*(?=${Q})`, 'g'),
    version: new RegExp(`(?<![\\w$.])${Q}?(?:promptVersion|prompt_version)${Q}?\\s*(?::|=(?!=))\\s*`, 'g'),
  },
  {
    // Langfuse prompt management: `langfuse.getPrompt('name', 3)`, `get_prompt("name", version=3)`.
    pattern: new RegExp(`\\b(?:getPrompt|get_prompt)\\s*\\(\\s*(?=${Q})`, 'g'),
    version: /(?:,\s*|\bversion\s*[:=]\s*)(?=\d)/g,
  },
];

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function findPromptIds(text: string, languageId: SourceLanguage): PromptIdOccurrence[] {
  const source = maskSource(text, languageId);
  const found: PromptIdOccurrence[] = [];
  for (const key of PROMPT_KEYS) {
    for (const m of source.withoutComments.matchAll(key.pattern)) {
      const quote = m.index + m[0].length;
      const id = stringLiteralAt(source, quote);
      if (id === undefined || id === '') continue;
      const version = versionNear(source, key.version, quote);
      const position = positionAt(source, quote + 1);
      found.push({ id, ...(version === undefined ? {} : { version }), line: position.line, character: position.character });
    }
  }
  return found.sort((a, b) => a.line - b.line || a.character - b.character);
}

/** The version literal (string or number) written inside the same brackets as the id. */
function versionNear(source: MaskedSource, pattern: RegExp, at: number): string | undefined {
  const { from, to } = enclosingBrackets(source.code, at);
  const local = new RegExp(pattern.source, pattern.flags);
  local.lastIndex = from;
  for (let m = local.exec(source.withoutComments); m !== null && m.index < to; m = local.exec(source.withoutComments)) {
    const valueStart = m.index + m[0].length;
    const literal = stringLiteralAt(source, valueStart);
    if (literal !== undefined) return literal;
    const number = /^\d+(?:\.\d+)*/.exec(source.text.slice(valueStart, to));
    if (number !== null) return number[0];
  }
  return undefined;
}

/** The innermost `(`, `[` or `{` pair around `at`; the whole text at top level. */
function enclosingBrackets(code: string, at: number): { from: number; to: number } {
  let depth = 0;
  let from = 0;
  for (let i = at - 1; i >= 0; i--) {
    const ch = code[i]!;
    if (ch === ')' || ch === ']' || ch === '}') depth++;
    else if (ch === '(' || ch === '[' || ch === '{') {
      if (depth === 0) {
        from = i + 1;
        break;
      }
      depth--;
    }
  }
  depth = 0;
  for (let i = at; i < code.length; i++) {
    const ch = code[i]!;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (depth === 0) return { from, to: i };
      depth--;
    }
  }
  return { from, to: code.length };
}
