import type { CostReportModel } from './cost-report-model';
import { chartUsd } from './number-format';

/**
 * Okabe–Ito, a palette told apart with every common colour-vision deficiency,
 * ordered so that neighbouring series differ in lightness too; "other" is grey.
 */
export const seriesColours = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];
export const otherColour = '#999999';
const fontFamily = 'system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif';

export interface ReportCharts {
  overTime: string;
  topItems: string;
  monthOverMonth: string;
}

interface Series {
  name: string;
  colour: string;
  values: number[];
}

/**
 * The report's three charts as inline SVG, drawn on the server by ECharts'
 * SSR renderer: no script, font or image is fetched when the file is opened.
 * ECharts is loaded on first use, so that processes that never draw a chart
 * do not pay for loading it.
 */
export async function renderCharts(model: CostReportModel, label: (key: string) => string): Promise<ReportCharts> {
  const echarts = await import('echarts');
  const draw = (option: Record<string, unknown>, ariaLabel: string, height: number): string => {
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 960, height });
    try {
      chart.setOption({ animation: false, textStyle: { fontFamily }, ...option });
      return chart.renderToSVGString().replace('<svg ', `<svg role="img" aria-label="${escapeAttribute(ariaLabel)}" `);
    } finally {
      chart.dispose();
    }
  };

  const time = model.over_time;
  const timeSeries: Series[] = time.keys.map((key, i) => ({ name: label(key), colour: seriesColours[i % seriesColours.length]!, values: time.points.map((p) => p.costs_usd[i]!) }));
  if (time.has_other) timeSeries.push({ name: `other ${model.by}s`, colour: otherColour, values: time.points.map((p) => p.other_usd) });
  const timeLabels = time.points.map((p) => (time.unit === 'hour' ? `${p.start.slice(0, 10)} ${p.start.slice(11, 16)}` : p.start.slice(0, 10)));
  const overTime = draw(stackedBars(timeLabels, timeSeries), `Cost per ${time.unit}, stacked by ${model.by}`, 420);

  const top = [...model.top_items].reverse();
  const topItems = draw(
    {
      grid: { left: 16, right: 96, top: 16, bottom: 16, containLabel: true },
      xAxis: { type: 'value', axisLabel: { formatter: (value: number) => chartUsd(value) } },
      yAxis: { type: 'category', data: top.map((item) => label(item.key)), axisLabel: { width: 260, overflow: 'truncate' } },
      series: [
        {
          type: 'bar',
          data: top.map((item) => item.cost_usd),
          itemStyle: { color: seriesColours[0] },
          label: { show: true, position: 'right', formatter: ({ value }: { value: number }) => chartUsd(value) },
        },
      ],
    },
    `Top ${model.by}s by cost`,
    Math.max(160, 48 + 32 * top.length),
  );

  const mom = model.month_over_month;
  const shown = mom.rows.slice(0, seriesColours.length);
  const rest = mom.rows.slice(seriesColours.length);
  const monthSeries: Series[] = shown.map((row, i) => ({ name: label(row.key), colour: seriesColours[i]!, values: row.costs_usd }));
  if (rest.length > 0) monthSeries.push({ name: `other ${model.by}s`, colour: otherColour, values: mom.months.map((_, m) => rest.reduce((total, row) => total + row.costs_usd[m]!, 0)) });
  const monthLabels = mom.months.map((month) => (month.complete ? month.month : `${month.month} (${round(month.days)} of ${month.days_in_month} days)`));
  const monthOverMonth = draw(stackedBars(monthLabels, monthSeries), `Cost per calendar month, stacked by ${model.by}`, 380);

  return { overTime, topItems, monthOverMonth };
}

function stackedBars(categories: string[], series: Series[]): Record<string, unknown> {
  return {
    // A column on the right holds any number of series (at most nine) and any
    // length of key, which a row above the plot would have to wrap over it.
    legend: { orient: 'vertical', right: 16, top: 'middle', itemGap: 10, textStyle: { width: 150, overflow: 'truncate' } },
    grid: { left: 16, right: 220, top: 16, bottom: 16, containLabel: true },
    xAxis: { type: 'category', data: categories, axisLabel: { hideOverlap: true } },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => chartUsd(value) } },
    series: series.map((s) => ({ type: 'bar', name: s.name, stack: 'cost', data: s.values, itemStyle: { color: s.colour }, barMaxWidth: 48 })),
  };
}

function round(days: number): string {
  return String(Math.round(days * 10) / 10);
}

export function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
