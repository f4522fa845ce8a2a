import { filterNames, formatViewState, rangePresets, type FilterName, type RangePreset, type ViewState } from '../src/dashboard/view/view-state';
import { formatUtc } from '../src/dashboard/view/format';
import { h } from './dom';

const presetLabels: Record<RangePreset, string> = {
  today: 'Today (UTC)',
  '24h': 'Last 24 hours',
  '7d': 'Last 7 days',
  '30d': 'Last 30 days',
  '90d': 'Last 90 days',
  'this-month': 'This month',
  'last-month': 'Last month',
};

export const pageLinks: Array<[string, string]> = [
  ['/', 'Overview'],
  ['/features', 'Cost by feature'],
  ['/users', 'Users'],
  ['/prompts', 'Prompts'],
  ['/alerts', 'Alerts'],
  ['/drift', 'Drift'],
];

/** The top bar: the pages, each link keeping the range and filters. */
export function header(state: ViewState, path: string): HTMLElement {
  // Page-specific selections do not carry over to another page.
  const shared = formatViewState({ ...state, extra: {} });
  return h(
    'header',
    { class: 'top' },
    h('a', { class: 'brand', href: `/${shared}` }, 'Spanlens'),
    h('nav', { class: 'pages', 'aria-label': 'Pages' }, pageLinks.map(([href, label]) => h('a', { href: `${href}${shared}`, 'aria-current': href === path ? 'page' : false }, label))),
  );
}

/** datetime-local inputs speak local time without a zone; the dashboard speaks UTC throughout, like the API's buckets. */
const toInput = (date: Date) => date.toISOString().slice(0, 16);
const fromInput = (text: string) => (text ? new Date(`${text}:00Z`).toISOString() : undefined);

/** Time range, filters and auto-refresh, shared by every page. */
export function controls(
  state: ViewState,
  range: { from: Date; to: Date },
  navigate: (next: ViewState) => void,
  autoRefresh: { on: boolean; toggle(on: boolean): void },
  options: { ignoresRange?: boolean } = {},
): HTMLElement {
  const refresh = h('label', { class: 'refresh' }, 'auto-refresh', h('span', null, h('input', { type: 'checkbox', name: 'auto-refresh', checked: autoRefresh.on, onchange: (event: Event) => autoRefresh.toggle((event.target as HTMLInputElement).checked) }), ' every 60 s'));
  // These pages still honour the filters (an editor links to /alerts?prompt=…), so their chips stay.
  if (options.ignoresRange) return h('div', { class: 'controls' }, refresh, activeFilters(state, navigate));
  const custom = h('span', { class: 'custom-range', hidden: state.range !== 'custom' },
    h('label', null, 'from (UTC)', h('input', { type: 'datetime-local', name: 'from', value: toInput(range.from) })),
    ' ',
    h('label', null, 'to (UTC)', h('input', { type: 'datetime-local', name: 'to', value: toInput(range.to) })),
  );
  const select = h('select', { name: 'range', 'aria-label': 'Time range' },
    [...rangePresets.map((preset) => h('option', { value: preset, selected: state.range === preset }, presetLabels[preset])), h('option', { value: 'custom', selected: state.range === 'custom' }, 'Custom…')],
  );
  select.addEventListener('change', () => {
    if (select.value === 'custom') {
      custom.hidden = false;
      return;
    }
    navigate({ ...state, range: select.value as RangePreset, from: undefined, to: undefined });
  });
  const filterInputs = filterNames.map((name) =>
    h('label', null, name === 'callsite' ? 'call site' : name, h('input', { type: 'text', name, value: state.filters[name] ?? '', placeholder: 'any', autocomplete: 'off' })),
  );
  const form = h('form', {
    class: 'controls',
    'aria-label': 'Range and filters',
    onsubmit: (event: Event) => {
      event.preventDefault();
      const data = new FormData(event.target as HTMLFormElement);
      const filters: ViewState['filters'] = {};
      for (const name of filterNames) {
        const value = String(data.get(name) ?? '').trim();
        if (value) filters[name] = value;
      }
      const next: ViewState = { ...state, filters };
      if (select.value === 'custom') {
        const from = fromInput(String(data.get('from') ?? ''));
        const to = fromInput(String(data.get('to') ?? ''));
        if (from) Object.assign(next, { range: 'custom', from, to });
      }
      navigate(next);
    },
  },
    h('label', null, 'time range', select),
    custom,
    filterInputs,
    h('button', { type: 'submit', class: 'primary' }, 'Apply'),
    refresh,
    h('span', { class: 'range-label', dataset: { from: range.from.toISOString(), to: range.to.toISOString() } }, `${formatUtc(range.from.toISOString())} → ${formatUtc(range.to.toISOString())} UTC`),
    activeFilters(state, navigate),
  );
  return form;
}

function activeFilters(state: ViewState, navigate: (next: ViewState) => void): HTMLElement | null {
  const active = Object.entries(state.filters) as Array<[FilterName, string]>;
  if (active.length === 0) return null;
  return h('span', { class: 'chips' }, active.map(([name, value]) =>
    h('span', { class: 'chip' }, `${name} = ${value}`, h('button', {
      type: 'button',
      'aria-label': `remove filter ${name}`,
      onclick: () => {
        const filters = { ...state.filters };
        delete filters[name];
        navigate({ ...state, filters });
      },
    }, '×')),
  ));
}
