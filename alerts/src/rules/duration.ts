const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const durationPattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

/**
 * A duration as rules write it (`30s`, `5m`, `1h`, `7d`, `1w`, `500ms`) in
 * milliseconds, or null when the text is not one. A bare `0` is accepted
 * for "no wait" (`for: 0`); any other number needs a unit so that a rule
 * never silently means milliseconds where the author meant minutes.
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  const match = durationPattern.exec(trimmed);
  if (!match) return null;
  const ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  return Number.isFinite(ms) ? Math.round(ms) : null;
}

/** The largest whole unit that divides the duration: 300000 → "5m", 90000 → "90s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms % unitMs[unit] === 0) return `${ms / unitMs[unit]}${unit}`;
  }
  return `${ms}ms`;
}
