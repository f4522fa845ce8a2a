/**
 * Prompt template files: Spanlens-style YAML (`id`, `version`, `model`,
 * `template`) and Prompty (`.prompty`: YAML front matter between `---` lines,
 * then the template body). Parsing failures are expected in files being
 * edited, so they are returned as values.
 */
import { LineCounter, parseDocument, isMap, type Document } from 'yaml';

export interface PromptTemplate {
  readonly id: string;
  readonly version?: string;
  readonly model?: string;
  readonly template: string;
  /** 0-based line of the key that names the prompt, where its annotation goes. */
  readonly line: number;
}

export type PromptFileResult = { ok: true; prompt: PromptTemplate } | { ok: false; error: string };

export function isPromptFilePath(path: string): boolean {
  return /\.(?:prompty|ya?ml)$/i.test(path);
}

export function parsePromptFile(path: string, text: string): PromptFileResult {
  if (/\.prompty$/i.test(path)) return parsePrompty(text);
  if (/\.ya?ml$/i.test(path)) return parseYamlPrompt(text);
  return { ok: false, error: `not a prompt file: ${path}` };
}

function parseYamlPrompt(text: string): PromptFileResult {
  const parsed = parseYaml(text);
  if (!parsed.ok) return parsed;
  const { document, lines } = parsed;
  const id = scalarText(document.get('id'));
  if (id === undefined) return { ok: false, error: 'missing `id`' };
  const template = document.get('template');
  if (typeof template !== 'string') return { ok: false, error: 'missing `template` (a string)' };
  const version = versionText(document, parsed.text);
  const model = modelId(document.toJS().model);
  return {
    ok: true,
    prompt: { id, template, line: keyLine(document, lines, 'id'), ...optional({ version, model }) },
  };
}

function parsePrompty(text: string): PromptFileResult {
  const frontMatter = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(text);
  if (frontMatter === null) return { ok: false, error: 'missing front matter between `---` lines' };
  const parsed = parseYaml(frontMatter[1]!);
  if (!parsed.ok) return parsed;
  const { document, lines } = parsed;
  const key = document.has('id') ? 'id' : 'name';
  const id = scalarText(document.get(key));
  if (id === undefined) return { ok: false, error: 'missing `name` in front matter' };
  const version = versionText(document, parsed.text);
  const model = modelId(document.toJS().model);
  // The front matter starts on the line after the opening `---`.
  const line = keyLine(document, lines, key) + 1;
  return { ok: true, prompt: { id, template: text.slice(frontMatter[0].length), line, ...optional({ version, model }) } };
}

function parseYaml(text: string): { ok: true; document: Document; lines: LineCounter; text: string } | { ok: false; error: string } {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const first = document.errors[0];
  if (first !== undefined) return { ok: false, error: `invalid YAML: ${first.message}` };
  if (!isMap(document.contents)) return { ok: false, error: 'expected a YAML mapping' };
  return { ok: true, document, lines, text };
}

/** A model written as a string, or Prompty's `model.configuration` (`name`, `model`, `azure_deployment`). */
function modelId(model: unknown): string | undefined {
  if (typeof model === 'string') return model;
  if (typeof model !== 'object' || model === null) return undefined;
  const record = model as Record<string, unknown>;
  const direct = scalarText(record.id) ?? scalarText(record.name);
  if (direct !== undefined) return direct;
  const configuration = record.configuration;
  if (typeof configuration !== 'object' || configuration === null) return undefined;
  const config = configuration as Record<string, unknown>;
  return scalarText(config.name) ?? scalarText(config.model) ?? scalarText(config.azure_deployment);
}

/** Versions are read as written, so `1.10` stays `1.10` rather than the number 1.1. */
function versionText(document: Document, text: string): string | undefined {
  const node = document.get('version', true) as { value?: unknown; range?: [number, number, number] } | undefined;
  if (node === undefined || node === null) return undefined;
  if (typeof node.value === 'number' && node.range !== undefined) return text.slice(node.range[0], node.range[1]).trim();
  return scalarText(node.value);
}

function keyLine(document: Document, lines: LineCounter, key: string): number {
  if (!isMap(document.contents)) return 0;
  for (const pair of document.contents.items) {
    const node = pair.key as { value?: unknown; range?: [number, number, number] } | null;
    if (node?.value === key && node.range !== undefined) return lines.linePos(node.range[0]).line - 1;
  }
  return 0;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function optional(fields: Record<string, string | undefined>): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) present[key] = value;
  return present;
}
