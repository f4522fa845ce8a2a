import type { EChartsOption } from 'echarts';
import type { Overview } from '../../src/overview/query-overview';
import type { OverviewSeries } from '../../src/overview/query-overview-series';
import type { SpanTotals } from '../../src/overview/span-totals';
import { formatChange, formatCount, formatMs, formatPercent, formatUsd } from '../../src/dashboard/view/format';
import { maxSeries, otherColour, seriesColour } from '../../src/dashboard/view/palette';
import { apiParams, stackGroupings } from '../../src/dashboard/view/view-state';
import { getJson } from '../api';
import { chartBox, timeChartBase } from '../charts';
import { figure, h } from '../dom';
import type { Page, PageContext } from '../page';
import { nothingHere } from '../states';

const spendLabels: Record<string, string> = { today: 'Spend today', '7d': 'Spend, 7 days', '30d': 'Spend, 30 days' };

function card(label: string, value: HTMLElement, sub?: Node | string | null): HTMLElement {
  return h('div', { class: 'card' }, h('div', { class: 'label' }, label), value, sub ? h('div', { class: 'sub' }, sub) : null);
}

/** "+12.0% vs previous", coloured by direction for cost (more is worse) and left neutral for volume. */
function change(current: number, previous: number, against: string, coloured = true): HTMLElement {
  const { text, direction } = formatChange(current, previous);
  return h('span', null, h('span', { class: `change ${coloured ? direction : 'flat'}` }, text), ` vs ${against}`);
}

function rangeCards(current: SpanTotals, previous: SpanTotals): HTMLElement[] {
  const latency = current.latency_ms;
  const ttft = current.ttft_ms;
  return [
    card('Cost in range', figure('cost', current.cost_usd, formatUsd(current.cost_usd)), change(current.cost_usd, previous.cost_usd, 'previous period')),
    card('Calls', figure('calls', current.calls, formatCount(current.calls)), change(current.calls, previous.calls, 'previous period', false)),
    card('Tokens in / out', figure('input-tokens', current.input_tokens, formatCount(current.input_tokens)), h('span', null, 'out ', figure('output-tokens', current.output_tokens, formatCount(current.output_tokens)))),
    card('Output tokens / s', figure('tokens-per-second', current.output_tokens_per_second, current.output_tokens_per_second === null ? '—' : current.output_tokens_per_second.toFixed(1)), 'per second of call time'),
    card('Latency p50', figure('latency-p50', latency?.p50 ?? null, formatMs(latency?.p50)), h('span', null, 'p95 ', figure('latency-p95', latency?.p95 ?? null, formatMs(latency?.p95)), ' · p99 ', figure('latency-p99', latency?.p99 ?? null, formatMs(latency?.p99)))),
    ttft
      ? card('Time to first token p50', figure('ttft-p50', ttft.p50, formatMs(ttft.p50)), h('span', null, 'p95 ', figure('ttft-p95', ttft.p95, formatMs(ttft.p95)), ` · ${formatCount(ttft.calls)} streamed calls`))
      : card('Time to first token', figure('ttft-p50', null, 'not recorded'), 'no call in the range reported one (only streaming instrumentations do)'),
    card('Error rate', figure('error-rate', current.error_rate, formatPercent(current.error_rate)), `${formatCount(current.errors)} failed calls`),
    card('Cache hit rate', figure('cache-hit-rate', current.cache_hit_rate, formatPercent(current.cache_hit_rate)), 'input tokens read from a prompt cache'),
    card('Unpriced calls', figure('unpriced-calls', current.unpriced_calls, formatCount(current.unpriced_calls)), current.unpriced_calls > 0 ? 'cost unknown, not zero — see below' : 'every call has a price'),
  ];
}

function costChart(series: OverviewSeries): EChartsOption {
  const { cost } = series;
  const lines = cost.keys.slice(0, maxSeries).map((key, i) => ({
    name: key === '' ? '(none)' : key,
    type: 'bar' as const,
    stack: 'cost',
    itemStyle: { color: seriesColour(i) },
    data: cost.buckets.map((start, b) => [start, cost.costs_usd[i]![b]!]),
  }));
  if (cost.has_other) lines.push({ name: 'other', type: 'bar', stack: 'cost', itemStyle: { color: otherColour }, data: cost.buckets.map((start, b) => [start, cost.other_usd[b]!]) });
  return {
    ...timeChartBase(),
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatUsd(Number(value)) },
    yAxis: { type: 'value', name: 'USD', axisLabel: { formatter: (v: number) => formatUsd(v) } },
    series: lines,
  };
}

function metricCharts(series: OverviewSeries): HTMLElement[] {
  const at = (pick: (m: SpanTotals) => number | null | undefined) => series.metrics.map((m, b) => [series.cost.buckets[b]!, pick(m) ?? null]);
  const line = (name: string, colour: number, data: Array<Array<string | number | null>>, yAxisIndex = 0) => ({ name, type: 'line' as const, yAxisIndex, showSymbol: false, connectNulls: false, itemStyle: { color: seriesColour(colour) }, data });
  const traffic: EChartsOption = {
    ...timeChartBase(),
    yAxis: [{ type: 'value', name: 'calls' }, { type: 'value', name: 'tokens/s', splitLine: { show: false } }],
    series: [{ name: 'calls', type: 'bar', itemStyle: { color: seriesColour(4) }, data: at((m) => m.calls) }, line('output tokens/s', 1, at((m) => m.output_tokens_per_second), 1)],
  };
  const latency: EChartsOption = {
    ...timeChartBase(),
    yAxis: { type: 'value', name: 'ms' },
    series: [line('p50', 0, at((m) => m.latency_ms?.p50)), line('p95', 1, at((m) => m.latency_ms?.p95)), line('p99', 5, at((m) => m.latency_ms?.p99)), line('TTFT p50', 2, at((m) => m.ttft_ms?.p50)), line('TTFT p95', 3, at((m) => m.ttft_ms?.p95))],
  };
  const quality: EChartsOption = {
    ...timeChartBase(),
    yAxis: { type: 'value', name: 'share', max: 1, axisLabel: { formatter: (v: number) => formatPercent(v, 0) } },
    series: [line('error rate', 5, at((m) => (m.calls > 0 ? m.error_rate : null))), line('cache hit rate', 2, at((m) => m.cache_hit_rate))],
  };
  return [
    h('div', { class: 'panel' }, h('h2', null, 'Calls and output tokens per second'), chartBox(traffic, { label: 'calls and tokens per second over time' })),
    h('div', { class: 'panel' }, h('h2', null, 'Latency p50 / p95 / p99 and time to first token'), chartBox(latency, { label: 'latency quantiles over time' })),
    h('div', { class: 'panel' }, h('h2', null, 'Error rate and cache hit rate'), chartBox(quality, { label: 'error rate and cache hit rate over time' })),
  ];
}

async function render(context: PageContext) {
  const { state, range } = context;
  const params = apiParams(range, state.filters);
  const [overview, series] = await Promise.all([
    getJson<Overview>(`/overview?${params}`),
    getJson<OverviewSeries>(`/overview/series?${params}&group_by=${state.group}`),
  ]);
  const spendCards = overview.spend.map((spend) =>
    card(spendLabels[spend.window] ?? spend.window, figure(`spend-${spend.window}`, spend.cost_usd, formatUsd(spend.cost_usd)), change(spend.cost_usd, spend.previous_cost_usd, spend.window === 'today' ? 'yesterday so far' : `the ${spend.window} before`)),
  );
  const groupSwitch = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Group cost by' }, stackGroupings.map((group) =>
    h('button', { type: 'button', 'aria-pressed': String(state.group === group), dataset: { group }, onclick: () => context.navigate({ ...state, group }) }, group),
  ));
  const unpriced = overview.unpriced_models.length === 0 ? null : h('div', { class: 'panel' },
    h('h2', null, 'Models without a price'),
    h('p', { class: 'note' }, 'Calls of these models are stored with no cost and counted as unpriced. Add a price under pricing.models in spanlens.yaml.'),
    h('table', { dataset: { table: 'unpriced-models' } }, h('thead', null, h('tr', null, h('th', null, 'model'), h('th', null, 'provider'), h('th', { class: 'num' }, 'calls'))),
      h('tbody', null, overview.unpriced_models.map((m) => h('tr', null, h('td', null, m.model || '(none)'), h('td', null, m.provider || '—'), h('td', { class: 'num' }, formatCount(m.calls)))))),
  );
  return h('div', null,
    h('div', { class: 'cards', 'aria-label': 'Spend' }, spendCards),
    overview.current.calls === 0 ? nothingHere('No calls in this range with these filters.') : null,
    h('div', { class: 'cards', 'aria-label': 'Figures for the range' }, rangeCards(overview.current, overview.previous)),
    h('div', { class: 'panel' }, h('h2', null, 'Cost over time'), groupSwitch, chartBox(costChart(series), { height: 320, label: `cost over time by ${state.group}` })),
    h('div', { class: 'grid2' }, metricCharts(series)),
    unpriced,
  );
}

export const overviewPage: Page = { title: 'Overview', render };
