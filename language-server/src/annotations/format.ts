/**
 * Number formatting for annotations. Editors show these inline next to code,
 * so every figure is short and reads at a glance; exact values live in the
 * dashboard. All output uses en-US separators so annotations look the same on
 * every machine.
 */

const enUs = (options: Intl.NumberFormatOptions) => new Intl.NumberFormat('en-US', options);
const twoSignificant = enUs({ maximumSignificantDigits: 2, useGrouping: false });
const cents = enUs({ minimumFractionDigits: 2, maximumFractionDigits: 2, useGrouping: false });
const wholeDollars = enUs({ maximumFractionDigits: 0, useGrouping: true });

/** The smallest amount shown as a figure; anything positive below it reads `<$0.000001`. */
const smallestShownUsd = 0.000001;

/**
 * Formats a dollar amount for an annotation.
 *
 * - Below $1: two significant figures, and at least two decimals, because per-call
 *   costs of LLM calls are fractions of a cent and only their magnitude matters
 *   (0.0000123 → `$0.000012`, 0.0042 → `$0.0042`, 0.042 → `$0.042`, 0.5 → `$0.50`).
 *   Positive amounts below $0.000001 read `<$0.000001` rather than a long row of zeros.
 * - From $1 to below $100: cents (51.7 → `$51.70`).
 * - From $100: whole dollars with thousands separators (1234.5 → `$1,235`).
 *
 * The band is chosen after rounding, so 0.999 reads `$1.00` and 99.996 reads `$100`.
 * Negative amounts (credits) get a leading minus sign; non-finite ones read `$—`.
 */
export function formatUsd(value: number): string {
  if (!Number.isFinite(value)) return '$—';
  if (value < 0) return `-${formatUsd(-value)}`;
  if (value > 0 && value < smallestShownUsd) return `<$${smallestShownUsd.toFixed(6)}`;
  if (Number(twoSignificant.format(value)) < 1) return `$${padToCents(twoSignificant.format(value))}`;
  if (Math.round(value * 100) < 100 * 100) return `$${cents.format(value)}`;
  return `$${wholeDollars.format(value)}`;
}

function padToCents(text: string): string {
  const decimals = text.split('.')[1]?.length ?? 0;
  if (decimals >= 2) return text;
  return decimals === 0 ? `${text}.00` : `${text}0`;
}

const countUnits = [
  { suffix: 'k', size: 1e3 },
  { suffix: 'M', size: 1e6 },
  { suffix: 'B', size: 1e9 },
] as const;

/**
 * Formats a count of calls or tokens: whole numbers below 1,000, then
 * thousands/millions/billions with one decimal below 100 of the unit and none
 * above (12,345 → `12.3k`, 123,456 → `123k`, 1,234,567 → `1.2M`). A trailing
 * `.0` is dropped (`12k`), and a value that rounds up to the next unit moves
 * to it (999,960 → `1M`, not `1000k`).
 */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (n < 0) return `-${formatCount(-n)}`;
  if (Math.round(n) < 1000) return String(Math.round(n));
  for (const unit of countUnits) {
    const scaled = n / unit.size;
    const rounded = scaled < 100 ? Math.round(scaled * 10) / 10 : Math.round(scaled);
    if (rounded < 1000 || unit.suffix === 'B') return `${rounded}${unit.suffix}`;
  }
  return String(n);
}

/**
 * Formats a latency: whole milliseconds below a second (`850ms`), seconds with
 * one decimal below a minute (`1.8s`), then minutes and whole seconds
 * (`1m 15s`, `2m`), and hours and minutes from an hour (`1h 5m`). The unit is
 * chosen after rounding, so 999.7ms reads `1.0s` and 59.97s reads `1m`.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  const tenthsOfSecond = Math.round(ms / 100);
  if (tenthsOfSecond < 600) return `${(tenthsOfSecond / 10).toFixed(1)}s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) {
    const minutes = Math.floor(totalSeconds / 60);
    const seconds = totalSeconds % 60;
    return seconds === 0 ? `${minutes}m` : `${minutes}m ${seconds}s`;
  }
  const totalMinutes = Math.round(ms / 60_000);
  const hours = Math.floor(totalMinutes / 60);
  const minutes = totalMinutes % 60;
  return minutes === 0 ? `${hours}h` : `${hours}h ${minutes}m`;
}

/**
 * Formats a fraction (0–1) as a percentage: whole percent (0.913 → `91%`),
 * except that small non-zero rates such as error rates keep a decimal so they
 * do not read as zero (0.004 → `0.4%`), and anything below 0.1% reads `<0.1%`.
 */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '—';
  if (fraction < 0) return `-${formatPercent(-fraction)}`;
  const percent = fraction * 100;
  if (percent === 0) return '0%';
  if (percent < 0.1) return '<0.1%';
  if (Math.round(percent * 10) < 10) return `${(Math.round(percent * 10) / 10).toFixed(1)}%`;
  return `${Math.round(percent)}%`;
}
