import { anyValueToString } from '../otlp/any-value';
import type { AttributeMap } from './attribute-lookup';
import { findFirst, numberOf, textAt } from './attribute-lookup';
import { CODE_FUNCTION_KEY, CODE_LINE_KEYS, FINISH_REASON_KEYS, OLD_CODE_FUNCTION_KEY, OLD_CODE_NAMESPACE_KEY, PROMPT_KEY_PAIRS } from './attribute-keys';

/*
 * Span fields whose attributes vary in shape between dialects: finish reasons,
 * prompt id and version, and code location.
 */

/** An array of strings by the semantic conventions; some dialects send one string, or a JSON array in a string. */
export function finishReasonsOf(attributes: AttributeMap): string[] {
  const found = findFirst(attributes, FINISH_REASON_KEYS);
  if (!found) return completionFinishReasons(attributes);
  if (found.value.type === 'array') return found.value.values.map(anyValueToString).filter((r) => r !== '');
  const text = anyValueToString(found.value).trim();
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).filter((r) => r !== '');
    } catch {
      // Not JSON after all: kept as one reason below.
    }
  }
  return [text];
}

/**
 * OpenLLMetry records the finish reason of each choice beside its content, as
 * `gen_ai.completion.<n>.finish_reason`. The content is dropped before storage;
 * the reasons are metadata and are kept, in choice order.
 */
function completionFinishReasons(attributes: AttributeMap): string[] {
  const reasons: [number, string][] = [];
  for (const [key, value] of attributes) {
    if (!key.startsWith('gen_ai.completion.')) continue;
    const match = /^gen_ai\.completion\.(\d+)\.finish_reason$/.exec(key);
    if (match) reasons.push([Number(match[1]), anyValueToString(value)]);
  }
  return reasons.sort((a, b) => a[0] - b[0]).map(([, reason]) => reason).filter((reason) => reason !== '');
}

export function promptOf(attributes: AttributeMap): { id: string; version: string } {
  for (const [idKey, versionKey] of PROMPT_KEY_PAIRS) {
    const id = textAt(attributes, idKey);
    if (id) return { id, version: textAt(attributes, versionKey) };
  }
  return { id: '', version: '' };
}

export function lineNumberOf(attributes: AttributeMap): number {
  const found = findFirst(attributes, CODE_LINE_KEYS);
  const line = found ? numberOf(found.value) : undefined;
  return line !== undefined && Number.isInteger(line) && line >= 0 && line <= 2 ** 31 ? line : 0;
}

/** `code.function.name` is fully qualified; before it, the namespace was a separate attribute. */
export function functionNameOf(attributes: AttributeMap): string {
  const name = textAt(attributes, CODE_FUNCTION_KEY);
  if (name) return name;
  const oldName = textAt(attributes, OLD_CODE_FUNCTION_KEY);
  const namespace = textAt(attributes, OLD_CODE_NAMESPACE_KEY);
  return oldName && namespace ? `${namespace}.${oldName}` : oldName;
}
