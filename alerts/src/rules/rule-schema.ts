import { z } from 'zod';
import { alertDimensions, alertMetrics, severities, type AlertCondition, type Comparison } from '../model';
import { parseDuration } from './duration';
import { checkTemplate } from './template';

const comparisons = ['>', '>=', '<', '<='] as const satisfies readonly Comparison[];
const show = (input: unknown): string => JSON.stringify(input) ?? String(input);

/** A duration string (`5m`), or the number 0, as milliseconds. */
const duration = z.unknown().transform((input, ctx) => {
  const ms = typeof input === 'string' ? parseDuration(input) : input === 0 ? 0 : null;
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 5m, 1h or 7d; got ${show(input)}` });
    return z.NEVER;
  }
  return ms;
});

const positiveDuration = duration.refine((ms) => ms > 0, 'must be longer than 0');

const oneOf = (names: readonly string[], what: string) => (issue: { input?: unknown }) =>
  `unknown ${what} ${show(issue.input)} (expected one of: ${names.join(', ')})`;

const dimension = z.enum(alertDimensions, { error: oneOf(alertDimensions, 'dimension') });
const comparison = z.enum(comparisons, { error: oneOf(comparisons, 'comparison') });

const compactCondition = /^(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)$/;

/** `"> 0.05"` as `{ op: '>', threshold: 0.05 }`; anything else is left for the object schema to reject. */
function expandCompactCondition(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  const match = compactCondition.exec(input.trim());
  return match ? { op: match[1], threshold: Number(match[2]) } : input;
}

/** `{ op, threshold }`, `{ op, baseline: { window, factor } }`, or the compact `"> 0.05"`. */
const condition = z.preprocess(
  expandCompactCondition,
  z
    .object(
      {
        op: comparison,
        threshold: z.number().optional(),
        baseline: z
          .object({ window: positiveDuration, factor: z.number().positive() })
          .strict()
          .transform(({ window, factor }) => ({ window_ms: window, factor }))
          .optional(),
      },
      { error: (issue) => (issue.code === 'invalid_type' ? `expected "> 0.05", { op, threshold } or { op, baseline: { window, factor } }; got ${show(issue.input)}` : undefined) },
    )
    .strict()
    .refine((value) => (value.threshold === undefined) !== (value.baseline === undefined), 'expected exactly one of threshold or baseline')
    .transform((value): AlertCondition => (value.baseline ? { op: value.op, baseline: value.baseline } : { op: value.op, threshold: value.threshold! })),
);

/** One rule as written in YAML, turned into `AlertRule`'s fields (without file and the resolved channels). */
export const ruleSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]*$/, 'expected letters, digits, "-", "_", "." or ":" (a stable id, used in fingerprints and silences)'),
    metric: z.enum(alertMetrics, { error: oneOf(alertMetrics, 'metric') }),
    filters: z.partialRecord(dimension, z.union([z.string(), z.number()]).transform(String)).default({}),
    group_by: z.array(dimension).default([]),
    window: positiveDuration,
    condition,
    for: duration.default(0),
    keep_firing_for: duration.default(0),
    min_votes: z.number().int().min(1).optional(),
    severity: z.enum(severities, { error: oneOf(severities, 'severity') }).default('warning'),
    labels: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected a label name like team or service'), z.union([z.string(), z.number(), z.boolean()]).transform(String)).default({}),
    annotations: z
      .object({
        summary: z.string().optional(),
        description: z.string().optional(),
      })
      .strict()
      .default({}),
    channels: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .superRefine((rule, ctx) => {
    for (const field of ['summary', 'description'] as const) {
      const template = rule.annotations[field];
      const problem = template === undefined ? null : checkTemplate(template);
      if (problem) ctx.addIssue({ code: 'custom', path: ['annotations', field], message: problem });
    }
    if (rule.min_votes !== undefined && rule.metric !== 'satisfaction_rate') {
      ctx.addIssue({ code: 'custom', path: ['min_votes'], message: 'only applies to metric satisfaction_rate' });
    }
    if (new Set(rule.group_by).size !== rule.group_by.length) ctx.addIssue({ code: 'custom', path: ['group_by'], message: 'lists a dimension twice' });
    if (rule.metric === 'drift_detected') {
      // The drift job tests features and prompts (by prompt id) separately, so
      // a drift rule looks at one of the two kinds of subject.
      const kinds = new Set<string>([...rule.group_by, ...Object.keys(rule.filters)]);
      for (const kind of kinds) {
        if (kind !== 'feature' && kind !== 'prompt') ctx.addIssue({ code: 'custom', path: ['group_by'], message: `drift_detected is per feature or per prompt; "${kind}" is neither` });
      }
      if (kinds.size > 1) ctx.addIssue({ code: 'custom', path: ['group_by'], message: 'drift_detected looks at features or prompts, not both in one rule' });
      if (rule.condition.baseline) ctx.addIssue({ code: 'custom', path: ['condition'], message: 'drift_detected takes a threshold (e.g. "> 0"), not a baseline' });
    }
  });

export type RuleInput = z.input<typeof ruleSchema>;
export type ParsedRule = z.output<typeof ruleSchema>;
