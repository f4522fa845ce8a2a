const DAY_MS = 24 * 3_600_000;

/** A spend figure's window and the window it is compared with, ISO 8601, [from, to). */
export interface SpendWindow {
  window: 'today' | '7d' | '30d';
  from: string;
  to: string;
  previous_from: string;
  previous_to: string;
}

/**
 * Today (UTC, midnight to now) against yesterday up to the same time of day,
 * so that a morning is not compared with a whole day; the last 7 and 30 days
 * against the 7 and 30 days before them.
 */
export function spendWindows(now: Date): SpendWindow[] {
  const at = now.getTime();
  const midnight = at - (at % DAY_MS);
  const iso = (ms: number) => new Date(ms).toISOString();
  const trailing = (window: '7d' | '30d', days: number): SpendWindow => ({
    window,
    from: iso(at - days * DAY_MS),
    to: iso(at),
    previous_from: iso(at - 2 * days * DAY_MS),
    previous_to: iso(at - days * DAY_MS),
  });
  return [
    { window: 'today', from: iso(midnight), to: iso(at), previous_from: iso(midnight - DAY_MS), previous_to: iso(at - DAY_MS) },
    trailing('7d', 7),
    trailing('30d', 30),
  ];
}
