/** How the dashboard writes figures: compact, with units, and "—" for what is not defined. */

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  // Small per-call costs need more places than monthly totals to say anything.
  const digits = magnitude === 0 ? 2 : magnitude < 0.01 ? 6 : magnitude < 1 ? 4 : 2;
  const text = magnitude.toLocaleString('en-US', { minimumFractionDigits: digits > 2 ? 2 : digits, maximumFractionDigits: digits });
  return `${value < 0 ? '−' : ''}$${text}`;
}

export function formatCount(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${(value / 1e9).toFixed(1)}B`;
  if (magnitude >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (magnitude >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** A fraction as a percentage: 0.1234 → "12.3%". */
export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const percent = value * 100;
  // A share below the last shown place (AI cost against revenue often is) keeps two significant digits rather than reading 0.0%.
  if (percent !== 0 && Math.abs(percent) < 10 ** -digits) return `${Number(percent.toPrecision(2))}%`;
  return `${percent.toFixed(digits)}%`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

/** A change against the previous period: "+12.0%", "−3.5%", "new" when there was nothing before. */
export function formatChange(current: number, previous: number): { text: string; direction: 'up' | 'down' | 'flat' } {
  if (previous === 0) return current === 0 ? { text: '±0%', direction: 'flat' } : { text: 'new', direction: 'up' };
  const ratio = (current - previous) / previous;
  if (Math.abs(ratio) < 0.0005) return { text: '±0%', direction: 'flat' };
  return { text: `${ratio > 0 ? '+' : '−'}${Math.abs(ratio * 100).toFixed(1)}%`, direction: ratio > 0 ? 'up' : 'down' };
}

/** A UTC time as "2026-11-22 14:00", the way the API buckets it. */
export function formatUtc(iso: string, withTime = true): string {
  const text = new Date(iso).toISOString();
  return withTime ? `${text.slice(0, 10)} ${text.slice(11, 16)}` : text.slice(0, 10);
}
