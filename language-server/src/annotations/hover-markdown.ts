import { formatCount, formatDuration, formatPercent, formatUsd } from './format';

/** Everything the hover of a call site or prompt template shows; plain data, read from the HTTP API. */
export interface HoverDetails {
  /** What the hover is about, e.g. the call site `summarise.ts:42` or the prompt id. */
  title: string;
  /** Models called from here in the window, most calls first. */
  models: readonly { model: string; calls: number; costUsd: number | null }[];
  calls: number;
  /** Total cost in the window; null when any model is unpriced. */
  costUsd: number | null;
  costPerCall: number | null;
  p95Ms: number | null;
  /** Token totals in the window. Cached tokens are the part of the input read from the provider's cache. */
  tokens: { input: number; output: number; cached: number };
  /** Share of calls that ended in an error; null without calls. */
  errorRate: number | null;
  /** Change against the same window a week earlier, as fractions (0.12 = 12% more); null without a baseline. */
  trend: { cost: number | null; calls: number | null } | null;
  satisfaction: { rate: number | null; votes: number } | null;
  drift: { status: 'stable' | 'drifting' | 'insufficient-data'; detail?: string } | null;
  /** Human label of the window the figures cover, e.g. `24h`. */
  window: string;
  fetchedAt: Date;
  dashboardUrl: string;
}

/**
 * The hover of a call site: a heading and a two-column table with the
 * breakdown behind the one-line annotation, then the window, the time the
 * figures were fetched (UTC, so it reads the same for everyone looking at a
 * shared screen) and a link to the dashboard. Rows without data say so
 * instead of disappearing, because in a breakdown a missing row is a question.
 */
export function hoverMarkdown(details: HoverDetails): string {
  const rows: [string, string][] = [
    ['Models', modelsCell(details.models)],
    ['Calls', formatCount(details.calls)],
    ['Cost', costCell(details)],
    ['Tokens', `${formatCount(details.tokens.input)} in · ${formatCount(details.tokens.output)} out · ${formatCount(details.tokens.cached)} cached`],
    ['Cache hit rate', details.tokens.input > 0 ? formatPercent(details.tokens.cached / details.tokens.input) : 'no input tokens'],
    ['p95 latency', details.p95Ms === null ? 'no data' : formatDuration(details.p95Ms)],
    ['Error rate', details.errorRate === null ? 'no calls' : formatPercent(details.errorRate)],
    ['vs previous week', trendCell(details.trend)],
    ['Satisfaction', satisfactionCell(details.satisfaction)],
    ['Drift', driftCell(details.drift)],
  ];
  return [
    `**Spanlens · ${escapeMarkdown(details.title)}**`,
    '',
    '| | |',
    '|---|---|',
    ...rows.map(([label, value]) => `| ${label} | ${value} |`),
    '',
    `_Last ${escapeMarkdown(details.window)} · fetched ${utcMinute(details.fetchedAt)}_`,
    '',
    `[Open in Spanlens dashboard](${linkTarget(details.dashboardUrl)})`,
  ].join('\n');
}

function modelsCell(models: HoverDetails['models']): string {
  if (models.length === 0) return 'none';
  return models
    .map((entry) => {
      const cost = entry.costUsd === null ? 'unpriced' : formatUsd(entry.costUsd);
      return `\`${entry.model.replaceAll('`', "'")}\` (${formatCount(entry.calls)} ${entry.calls === 1 ? 'call' : 'calls'}, ${cost})`;
    })
    .join(', ');
}

function costCell(details: HoverDetails): string {
  if (details.costUsd === null) return 'unpriced model';
  const perCall = details.costPerCall === null ? '' : ` (${formatUsd(details.costPerCall)}/call)`;
  return `${formatUsd(details.costUsd)}${perCall}`;
}

/** ▲/▼ with the size of the change; a change that rounds to 0% reads as flat. */
function trendArrow(change: number): string {
  if (formatPercent(Math.abs(change)) === '0%') return '▶ 0%';
  return `${change > 0 ? '▲' : '▼'} ${formatPercent(Math.abs(change))}`;
}

function trendCell(trend: HoverDetails['trend']): string {
  if (!trend || (trend.cost === null && trend.calls === null)) return 'no baseline';
  const parts: string[] = [];
  if (trend.cost !== null) parts.push(`cost ${trendArrow(trend.cost)}`);
  if (trend.calls !== null) parts.push(`calls ${trendArrow(trend.calls)}`);
  return parts.join(' · ');
}

function satisfactionCell(satisfaction: HoverDetails['satisfaction']): string {
  if (!satisfaction || satisfaction.rate === null || satisfaction.votes === 0) return 'no votes';
  return `👍 ${formatPercent(satisfaction.rate)} of ${formatCount(satisfaction.votes)} ${satisfaction.votes === 1 ? 'vote' : 'votes'}`;
}

function driftCell(drift: HoverDetails['drift']): string {
  if (!drift) return 'not checked';
  const label = { stable: 'stable', drifting: '⚠ drifting', 'insufficient-data': 'not enough data' }[drift.status];
  return drift.detail ? `${label} (${escapeMarkdown(drift.detail)})` : label;
}

function utcMinute(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Escapes the characters that would start markdown formatting or break a table cell. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]|<>]/g, (char) => `\\${char}`);
}

/** Spaces and parentheses would end a markdown link early. */
function linkTarget(url: string): string {
  return url.replace(/ /g, '%20').replace(/\(/g, '%28').replace(/\)/g, '%29');
}
