/**
 * LLM SDK call sites found textually: the places where cost and quality
 * annotations go. Patterns run over the masked source, so calls mentioned in
 * comments or strings are not reported.
 */
import { enclosingFunction, findFunctionScopes } from './function-scopes';
import { matchingBracketEnd, maskSource, positionAt, stringLiteralAt, type MaskedSource, type SourceLanguage } from './source-text';

export interface LlmCallSite {
  /** 0-based start of the callee expression (receiver included), as in LSP. */
  readonly line: number;
  readonly character: number;
  /** 0-based position just past the closing parenthesis. */
  readonly endLine: number;
  readonly endCharacter: number;
  readonly provider: string;
  readonly sdk: string;
  /** A literal model id passed in the call, when there is one. */
  readonly model?: string;
  /** The enclosing named function, for matching a span's `code.function`. */
  readonly functionName?: string;
}

interface CallPattern {
  /** Must end at the call's opening parenthesis. */
  readonly pattern: RegExp;
  readonly provider: string;
  readonly sdk: string;
}

const CALL_PATTERNS: readonly CallPattern[] = [
  { pattern: /\.chat\.completions\.(?:create|parse|stream)\s*\(/g, provider: 'openai', sdk: 'openai' },
  { pattern: /\.responses\.(?:create|parse|stream)\s*\(/g, provider: 'openai', sdk: 'openai' },
  // OpenAI's Assistants API also has `threads.messages.create`, which is not Anthropic.
  { pattern: /(?<!threads)\.messages\.(?:create|stream)\s*\(/g, provider: 'anthropic', sdk: 'anthropic' },
  { pattern: /\b(?:generateContent|generateContentStream|generate_content|generate_content_stream)\s*\(/g, provider: 'google', sdk: 'google-genai' },
  { pattern: /\.chat\.(?:complete|stream|complete_async|stream_async)\s*\(/g, provider: 'mistral', sdk: 'mistral' },
  { pattern: /(?<![\w$])(?:generateText|streamText|generateObject|streamObject)\s*\(/g, provider: 'unknown', sdk: 'ai' },
  { pattern: /(?<![\w$])ChatOpenAI\s*\(/g, provider: 'openai', sdk: 'langchain' },
  { pattern: /(?<![\w$])ChatAnthropic\s*\(/g, provider: 'anthropic', sdk: 'langchain' },
  { pattern: /(?<![\w$])ChatGoogleGenerativeAI\s*\(/g, provider: 'google', sdk: 'langchain' },
  { pattern: /(?<![\w$])ChatMistralAI\s*\(/g, provider: 'mistral', sdk: 'langchain' },
];

// `model: "x"`, `model="x"`, `modelName: "x"`, `model_name="x"` (not `==`).
const MODEL_ARGUMENT = /(?<![\w$.])(?:model|modelName|model_name)\s*(?::|=(?!=))\s*(?=["'`])/g;
// Vercel AI SDK provider factories: `model: openai('gpt-4o')`, `anthropic.messages('…')`.
const PROVIDER_FACTORY = /(?<![\w$.])model\s*:\s*([A-Za-z_$][\w$]*)(?:\.[\w$]+)?\s*\(\s*(?=["'`])/g;

export function findLlmCalls(text: string, languageId: SourceLanguage): LlmCallSite[] {
  const source = maskSource(text, languageId);
  const scopes = findFunctionScopes(source, languageId);
  const calls: LlmCallSite[] = [];
  for (const { pattern, provider, sdk } of CALL_PATTERNS) {
    for (const m of source.code.matchAll(pattern)) {
      const openParen = m.index + m[0].length - 1;
      if (isDefinition(source.code, m.index)) continue;
      const start = calleeStart(source.code, m.index);
      const close = matchingBracketEnd(source.code, openParen);
      const end = close < 0 ? openParen + 1 : close;
      const startPosition = positionAt(source, start);
      const endPosition = positionAt(source, end);
      const argumentsRange = { from: openParen + 1, to: end };
      const factory = sdk === 'ai' ? providerFactory(source, argumentsRange) : undefined;
      const model = factory?.model ?? literalModel(source, argumentsRange);
      const functionName = enclosingFunction(scopes, start)?.name;
      calls.push({
        line: startPosition.line,
        character: startPosition.character,
        endLine: endPosition.line,
        endCharacter: endPosition.character,
        provider: factory?.provider ?? (sdk === 'ai' && model?.includes('/') ? model.split('/')[0]! : provider),
        sdk,
        ...(model === undefined ? {} : { model }),
        ...(functionName === undefined ? {} : { functionName }),
      });
    }
  }
  return calls.sort((a, b) => a.line - b.line || a.character - b.character);
}

/** `function generateText(` or `def generate_content(` declare rather than call. */
function isDefinition(code: string, matchStart: number): boolean {
  return /(?:\bfunction\s*\*?|\bdef|\bclass)\s+$/.test(code.slice(Math.max(0, matchStart - 20), matchStart));
}

/** Walks back over the receiver chain (`this.client.chat…`, `new `) to where the call expression starts. */
function calleeStart(code: string, matchStart: number): number {
  let i = matchStart;
  while (i > 0 && /[\w$.]/.test(code[i - 1]!)) i--;
  const before = code.slice(Math.max(0, i - 4), i);
  return before === 'new ' ? i - 4 : i;
}

interface Range {
  readonly from: number;
  readonly to: number;
}

function literalModel(source: MaskedSource, range: Range): string | undefined {
  for (const m of matchesWithin(source.code, MODEL_ARGUMENT, range)) {
    const value = stringLiteralAt(source, m.index + m[0].length);
    if (value !== undefined && value !== '') return value;
  }
  return undefined;
}

function providerFactory(source: MaskedSource, range: Range): { provider: string; model?: string } | undefined {
  for (const m of matchesWithin(source.code, PROVIDER_FACTORY, range)) {
    const model = stringLiteralAt(source, m.index + m[0].length);
    const provider = factoryProvider(m[1]!);
    return model === undefined ? { provider } : { provider, model };
  }
  return undefined;
}

/** `createOpenAI`-style factories are often renamed; the provider is the name without the prefix. */
function factoryProvider(factory: string): string {
  const name = factory.replace(/^create/, '').toLowerCase();
  if (name === 'azure') return 'azure-openai';
  return name === 'vertex' ? 'google' : name;
}

function matchesWithin(code: string, pattern: RegExp, range: Range): RegExpExecArray[] {
  const found: RegExpExecArray[] = [];
  const local = new RegExp(pattern.source, pattern.flags);
  local.lastIndex = range.from;
  for (let m = local.exec(code); m !== null && m.index < range.to; m = local.exec(code)) found.push(m);
  return found;
}
