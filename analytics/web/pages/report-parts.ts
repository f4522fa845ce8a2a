import type { EChartsOption } from 'echarts';
import type { CostReportModel } from '../../src/reports/cost-report-model';
import { formatUsd } from '../../src/dashboard/view/format';
import { reportQuery } from '../../src/dashboard/view/finance';
import { maxSeries, otherColour, seriesColour } from '../../src/dashboard/view/palette';
import { chartBox, timeChartBase } from '../charts';
import { downloadWithKey } from '../api';
import { h } from '../dom';

/** The CSV and HTML downloads of the finance report for the page's range: the CLI's report, from the same route. */
export function reportDownloads(by: 'feature' | 'user', range: { from: Date; to: Date }): HTMLElement {
  return h('p', { class: 'downloads' },
    'Download this report: ',
    h('a', { href: `/api/v1/reports/cost?${reportQuery(by, range, 'csv')}`, download: '', dataset: { download: 'csv' }, onclick: downloadWithKey }, 'CSV'),
    ' · ',
    h('a', { href: `/api/v1/reports/cost?${reportQuery(by, range, 'html')}`, target: '_blank', rel: 'noopener', dataset: { download: 'html' }, onclick: downloadWithKey }, 'HTML (with charts)'),
  );
}

/** The report's cost over time: its dearest keys stacked, the rest as "other". */
export function reportCostChart(report: CostReportModel, label: string): HTMLElement {
  const { over_time: overTime } = report;
  const series = overTime.keys.slice(0, maxSeries).map((key, i) => ({
    name: key === '' ? '(none)' : key,
    type: 'bar' as const,
    stack: 'cost',
    itemStyle: { color: seriesColour(i) },
    data: overTime.points.map((point) => [point.start, point.costs_usd[i] ?? 0]),
  }));
  // Keys past the palette join "other" rather than reuse a colour.
  const folded = (point: CostReportModel['over_time']['points'][number]) => point.other_usd + point.costs_usd.slice(maxSeries).reduce((a, b) => a + b, 0);
  if (overTime.has_other || overTime.keys.length > maxSeries) series.push({ name: 'other', type: 'bar', stack: 'cost', itemStyle: { color: otherColour }, data: overTime.points.map((point) => [point.start, folded(point)]) });
  const option: EChartsOption = {
    ...timeChartBase(),
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatUsd(Number(value)) },
    yAxis: { type: 'value', name: 'USD', axisLabel: { formatter: (v: number) => formatUsd(v) } },
    series,
  };
  return chartBox(option, { height: 300, label });
}

/** A horizontal bar chart of the dearest keys. */
export function topItemsChart(report: CostReportModel, label: string): HTMLElement {
  const items = [...report.top_items].reverse();
  const option: EChartsOption = {
    grid: { left: 160, right: 40, top: 10, bottom: 30 },
    tooltip: { trigger: 'axis', valueFormatter: (value) => formatUsd(Number(value)) },
    xAxis: { type: 'value', axisLabel: { formatter: (v: number) => formatUsd(v) } },
    yAxis: { type: 'category', data: items.map((item) => item.key || '(none)') },
    series: [{ type: 'bar', itemStyle: { color: seriesColour(0) }, data: items.map((item) => item.cost_usd) }],
  };
  return chartBox(option, { height: Math.max(140, items.length * 26 + 40), label });
}
