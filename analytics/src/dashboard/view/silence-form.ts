export interface SilenceMatcher {
  name: string;
  value: string;
  regex: boolean;
}

/**
 * Matchers as an on-call engineer types them, Alertmanager style, separated
 * by commas or new lines: `alertname=expensive-call, feature=~search|chat`.
 * Quotes around a value are optional. Returns the first problem instead.
 */
export function parseMatchers(text: string): { ok: true; matchers: SilenceMatcher[] } | { ok: false; error: string } {
  const matchers: SilenceMatcher[] = [];
  for (const part of text.split(/[,\n]/).map((p) => p.trim()).filter(Boolean)) {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|=)\s*(.*)$/.exec(part);
    if (!match) return { ok: false, error: `"${part}" is not name=value or name=~regex` };
    const value = match[3]!.replace(/^"(.*)"$/, '$1');
    matchers.push({ name: match[1]!, value, regex: match[2] === '=~' });
  }
  if (matchers.length === 0) return { ok: false, error: 'at least one matcher, e.g. alertname=expensive-call' };
  return { ok: true, matchers };
}

/** The matchers that silence one alert instance exactly: its rule and every label. */
export function matchersFor(rule: string, labels: Record<string, string>): string {
  return [`alertname=${rule}`, ...Object.entries(labels).map(([name, value]) => `${name}=${value}`)].join(', ');
}

export const silenceDurations: Record<string, number> = { '1h': 3_600_000, '4h': 4 * 3_600_000, '1d': 24 * 3_600_000, '7d': 7 * 24 * 3_600_000 };

/** When a silence of `duration` (a key of silenceDurations) started at `now` expires. */
export function silenceEnd(duration: string, now: Date): Date | null {
  const ms = silenceDurations[duration];
  return ms === undefined ? null : new Date(now.getTime() + ms);
}
