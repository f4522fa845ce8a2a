/**
 * What a dashboard URL says: the page's time range, filters and chart
 * choices. Everything a view shows follows from this, so a copied link
 * reproduces the view. Pure: shared by the browser code and its tests.
 */
export const rangePresets = ['today', '24h', '7d', '30d', '90d', 'this-month', 'last-month'] as const;
export type RangePreset = (typeof rangePresets)[number];

export const filterNames = ['feature', 'model', 'user', 'prompt', 'callsite'] as const;
export type FilterName = (typeof filterNames)[number];

export const stackGroupings = ['feature', 'model', 'provider', 'user', 'prompt'] as const;
export type StackGrouping = (typeof stackGroupings)[number];

export interface ViewState {
  /** A preset, or "custom" when from and to are given. */
  range: RangePreset | 'custom';
  /** ISO 8601, only for a custom range. */
  from?: string;
  to?: string;
  filters: Partial<Record<FilterName, string>>;
  /** The grouping of the overview's stacked cost chart. */
  group: StackGrouping;
  /** Page-specific selections (a drift test, a report grouping…), kept as they are. */
  extra: Record<string, string>;
}

export const defaultRange: RangePreset = '7d';
const known = new Set<string>(['range', 'from', 'to', 'group', ...filterNames]);

/** The state in a query string; unknown or bad values fall back to defaults rather than failing the page. */
export function parseViewState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const filters: ViewState['filters'] = {};
  for (const name of filterNames) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  const extra: Record<string, string> = {};
  for (const [key, value] of params) if (!known.has(key) && value !== '') extra[key] = value;
  const group = params.get('group') ?? '';
  const state: ViewState = { range: defaultRange, filters, group: (stackGroupings as readonly string[]).includes(group) ? (group as StackGrouping) : 'feature', extra };
  const from = params.get('from');
  const to = params.get('to');
  const range = params.get('range') ?? '';
  if (from && !Number.isNaN(Date.parse(from))) {
    state.range = 'custom';
    state.from = new Date(from).toISOString();
    if (to && !Number.isNaN(Date.parse(to))) state.to = new Date(to).toISOString();
  } else if ((rangePresets as readonly string[]).includes(range)) {
    state.range = range as RangePreset;
  }
  return state;
}

/** The query string of a state, defaults left out, in a stable order. */
export function formatViewState(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.range === 'custom' && state.from) {
    params.set('from', state.from);
    if (state.to) params.set('to', state.to);
  } else if (state.range !== defaultRange && state.range !== 'custom') {
    params.set('range', state.range);
  }
  for (const name of filterNames) {
    const value = state.filters[name];
    if (value) params.set(name, value);
  }
  if (state.group !== 'feature') params.set('group', state.group);
  for (const key of Object.keys(state.extra).sort()) params.set(key, state.extra[key]!);
  const text = params.toString();
  return text ? `?${text}` : '';
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * The [from, to) a state means at `now`: presets end now (whole calendar
 * months for the month presets, in UTC like every bucket of the API); a
 * custom range without `to` ends now.
 */
export function resolveRange(state: Pick<ViewState, 'range' | 'from' | 'to'>, now: Date): { from: Date; to: Date } {
  const at = now.getTime();
  if (state.range === 'custom' && state.from) {
    const to = state.to ? new Date(state.to) : now;
    const from = new Date(state.from);
    return from < to ? { from, to } : { from: new Date(to.getTime() - DAY_MS), to };
  }
  const monthStart = (year: number, month: number) => new Date(Date.UTC(year, month, 1));
  switch (state.range) {
    case 'today':
      return { from: new Date(at - (at % DAY_MS)), to: now };
    case '24h':
      return { from: new Date(at - DAY_MS), to: now };
    case '30d':
      return { from: new Date(at - 30 * DAY_MS), to: now };
    case '90d':
      return { from: new Date(at - 90 * DAY_MS), to: now };
    case 'this-month':
      return { from: monthStart(now.getUTCFullYear(), now.getUTCMonth()), to: now };
    case 'last-month':
      return { from: monthStart(now.getUTCFullYear(), now.getUTCMonth() - 1), to: monthStart(now.getUTCFullYear(), now.getUTCMonth()) };
    default:
      return { from: new Date(at - 7 * DAY_MS), to: now };
  }
}

/** The API query parameters of a state's range and filters. */
export function apiParams(range: { from: Date; to: Date }, filters: ViewState['filters'], extra: Record<string, string> = {}): string {
  const params = new URLSearchParams({ from: range.from.toISOString(), to: range.to.toISOString() });
  for (const name of filterNames) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  return params.toString();
}
