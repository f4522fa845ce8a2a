import type { EChartsOption, EChartsType } from 'echarts';
import { h } from './dom';

/** echarts comes from its own script (/assets/echarts.min.js), loaded before this bundle. */
declare global {
  interface Window {
    echarts: typeof import('echarts');
  }
}

const pending: Array<{ element: HTMLElement; option: EChartsOption }> = [];
const live: EChartsType[] = [];

/**
 * A box for a chart. echarts needs the box laid out to size itself, so the
 * chart is drawn by mountCharts() once the page is in the document.
 */
export function chartBox(option: EChartsOption, options: { height?: number; label: string }): HTMLElement {
  const element = h('div', { class: 'chart', role: 'img', 'aria-label': options.label, style: `height:${options.height ?? 280}px` });
  pending.push({ element, option });
  return element;
}

export function mountCharts(): void {
  for (const { element, option } of pending.splice(0)) {
    if (!element.isConnected) continue;
    const chart = window.echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption({ animation: false, ...option });
    live.push(chart);
  }
}

/** Before a page is drawn again (a new range, a refresh), its old charts are released. */
export function disposeCharts(): void {
  for (const chart of live.splice(0)) chart.dispose();
}

window.addEventListener('resize', () => {
  for (const chart of live) chart.resize();
});

/** Axis and tooltip settings every time chart shares. */
export function timeChartBase(): EChartsOption {
  return {
    grid: { left: 64, right: 64, top: 40, bottom: 48 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0, type: 'scroll' },
    xAxis: { type: 'time' },
  };
}
