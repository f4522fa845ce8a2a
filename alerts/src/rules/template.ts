/** What an annotation template can refer to. */
export interface TemplateContext {
  value: number | null;
  threshold?: number | null;
  baseline?: number | null;
  labels: Record<string, string>;
  rule: string;
}

type NumberFormat = (value: number) => string;

/** Formats templates can pipe a number through: `{{ value | percent }}`. */
const numberFormats: Record<string, NumberFormat> = {
  number: (value) => plain(value),
  /** A ratio 0..1 as a percentage: 0.0153 → "1.53%". */
  percent: (value) => `${plain(value * 100, 3)}%`,
  /** Dollars: cents above $1, three significant digits below (a single call costs fractions of a cent). */
  usd: (value) => (Math.abs(value) >= 1 ? `$${value.toFixed(2)}` : `$${plain(value, 3)}`),
  /** Milliseconds: "310 ms" under a second, "2.35 s" above. */
  ms: (value) => (Math.abs(value) < 1000 ? `${Math.round(value)} ms` : `${plain(value / 1000, 3)} s`),
};

const variables = ['value', 'threshold', 'baseline', 'rule'] as const;
const placeholder = /\{\{\s*([^}|]+?)\s*(?:\|\s*([a-z]+)\s*)?\}\}/g;

/** A number with at most `digits` significant digits and no trailing zeros: 0.015, 1235, 2.35. */
function plain(value: number, digits = 4): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) >= 10 ** digits) return String(value);
  return String(Number(value.toPrecision(digits)));
}

function lookup(name: string, context: TemplateContext): string | number | null | undefined {
  if (name.startsWith('labels.')) return context.labels[name.slice('labels.'.length)];
  switch (name) {
    case 'value':
      return context.value;
    case 'threshold':
      return context.threshold;
    case 'baseline':
      return context.baseline;
    case 'rule':
      return context.rule;
    default:
      return undefined;
  }
}

/**
 * Fills `{{ name }}` and `{{ name | format }}` placeholders. A label the
 * group does not have renders empty (as in Prometheus); a number that is
 * absent (no baseline yet) renders "n/a". Templates are checked when rules
 * load, so an unknown name or format never reaches here from a loaded rule.
 */
export function renderTemplate(template: string, context: TemplateContext): string {
  return template.replace(placeholder, (_match, name: string, format: string | undefined) => {
    const found = lookup(name, context);
    if (name.startsWith('labels.') || name === 'rule') return found === undefined || found === null ? '' : String(found);
    if (found === undefined || found === null) return 'n/a';
    const value = Number(found);
    return (numberFormats[format ?? 'number'] ?? numberFormats.number!)(value);
  });
}

/** Why a template cannot render, or null when it can: an unknown name, an unknown format, or a stray `{{`. */
export function checkTemplate(template: string): string | null {
  for (const match of template.matchAll(placeholder)) {
    const [, name = '', format] = match;
    const known = (variables as readonly string[]).includes(name) || /^labels\.[A-Za-z_][A-Za-z0-9_]*$/.test(name);
    if (!known) return `unknown name "${name}" in {{ }} (expected value, threshold, baseline, rule or labels.<name>)`;
    if (format !== undefined && !(format in numberFormats)) {
      return `unknown format "${format}" (expected one of: ${Object.keys(numberFormats).join(', ')})`;
    }
    if (format !== undefined && (name === 'rule' || name.startsWith('labels.'))) return `"${name}" is text and cannot be formatted as ${format}`;
  }
  if (template.replace(placeholder, '').includes('{{')) return 'unclosed or malformed {{ }}';
  return null;
}
