import type { EChartsOption } from 'echarts';
import type { DriftReport } from '../../src/drift/read-drift';
import type { DriftDistributions } from '../../src/overview/drift-distributions';
import { splitPromptKey } from '../../src/dashboard/view/editor-link';
import { formatUtc } from '../../src/dashboard/view/format';
import { seriesColour } from '../../src/dashboard/view/palette';
import { getJson } from '../api';
import { chartBox } from '../charts';
import { figure, h } from '../dom';
import type { Page, PageContext } from '../page';
import { nothingHere } from '../states';

type Test = DriftReport['tests'][number];
/**
 * Prompt text is tested on embeddings, where D is the share of dimensions
 * that drifted: there is no one distribution to draw. (Compared as text so
 * that this reads the same whichever methods the drift job offers.)
 */
const drawable = (test: Test) => (test.method as string) !== 'text-embedding';
const pText = (p: number) => (p < 0.0001 ? p.toExponential(1) : p.toFixed(4));

function ecdfChart(data: DriftDistributions): HTMLElement {
  const line = (name: string, colour: number, points: Array<[number, number]>) => ({ name, type: 'line' as const, step: 'end' as const, showSymbol: false, itemStyle: { color: seriesColour(colour) }, data: points });
  const option: EChartsOption = {
    grid: { left: 64, right: 32, top: 40, bottom: 48 },
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    xAxis: { type: 'value', name: data.test.metric, scale: true },
    yAxis: { type: 'value', name: 'share of calls ≤ x', min: 0, max: 1 },
    series: [
      line(`reference (${data.reference.n})`, 0, data.reference.ecdf),
      {
        ...line(`current (${data.current.n})`, 1, data.current.ecdf),
        ...(data.gap.at === null ? {} : { markLine: { symbol: 'none', lineStyle: { color: '#555', type: 'dashed' }, label: { formatter: `D = ${data.gap.d.toFixed(3)}` }, data: [{ xAxis: data.gap.at }] } }),
      },
    ],
  };
  return chartBox(option, { height: 340, label: `distributions of ${data.test.metric} for ${data.test.subject}, current against reference` });
}

async function render(context: PageContext) {
  const { state } = context;
  const report = await getJson<DriftReport>('/drift');
  if (!report.computed_at) return nothingHere('The drift job has not run yet. It runs every hour at :07 and needs enough calls on both sides (drift.min_samples); run it now with `pnpm spanlens jobs run drift`.');
  // The editor links to /drift?prompt=<id>: that prompt's tests, drifted first (the API's order), are the ones to show.
  const wanted = state.filters.prompt ? { kind: 'prompt', subject: splitPromptKey(state.filters.prompt).id } : state.filters.feature ? { kind: 'feature', subject: state.filters.feature } : undefined;
  const ofWanted = (t: Test) => wanted !== undefined && t.subject_kind === wanted.kind && t.subject === wanted.subject;
  const selected: Test | undefined =
    report.tests.find((t) => t.subject_kind === state.extra.kind && t.subject === state.extra.subject && t.metric === state.extra.metric) ??
    report.tests.find((t) => ofWanted(t) && drawable(t)) ??
    report.tests.find(drawable);
  const distributions = selected && drawable(selected)
    ? await getJson<DriftDistributions>(`/drift/distributions?${new URLSearchParams({ subject_kind: selected.subject_kind, subject: selected.subject, metric: selected.metric })}`)
    : undefined;
  const select = (test: Test) => context.navigate({ ...state, extra: { ...state.extra, kind: test.subject_kind, subject: test.subject, metric: test.metric } });
  return h('div', null,
    h('p', { class: 'note' }, `Latest run ${formatUtc(report.computed_at)} UTC: current window ${formatUtc(report.current!.start)} → ${formatUtc(report.current!.end)}, reference ${formatUtc(report.reference!.start)} → ${formatUtc(report.reference!.end)}. Two-sample Kolmogorov–Smirnov tests; p adjusted with Benjamini–Hochberg across the run.`),
    wanted && !report.tests.some(ofWanted) ? nothingHere(`No test of ${wanted.kind} ${wanted.subject} in the latest run (it needs drift.min_samples calls in both windows).`) : null,
    distributions
      ? h('div', { class: 'panel', dataset: { selectedTest: `${selected!.subject_kind}:${selected!.subject}:${selected!.metric}` } },
          h('h2', null, `${selected!.subject_kind} ${selected!.subject}: ${selected!.metric}`),
          h('p', null, 'D (stored) ', figure('drift-d', selected!.d, selected!.d.toFixed(4)), ' · D of the samples drawn ', figure('drift-d-drawn', distributions.gap.d, distributions.gap.d.toFixed(4)), ` · p adjusted ${pText(selected!.p_adjusted)} · `,
            h('span', { class: `badge ${selected!.drifted ? 'bad' : 'ok'}` }, selected!.drifted ? 'drifted' : 'no drift')),
          ecdfChart(distributions),
        )
      : selected
        ? h('div', { class: 'panel' }, h('h2', null, `${selected.subject_kind} ${selected.subject}: ${selected.metric}`), nothingHere(`Tested on text embeddings: ${(selected.d * 100).toFixed(1)}% of dimensions drifted (p adjusted ${pText(selected.p_adjusted)}). There is no single distribution to draw.`))
        : null,
    report.tests.length === 0 ? nothingHere('The latest run had no subject with enough calls in both windows.') : h('div', { class: 'panel' },
      h('h2', null, 'Tests of the latest run'),
      h('table', { dataset: { table: 'drift' } },
        h('thead', null, h('tr', null, h('th', null, 'kind'), h('th', null, 'subject'), h('th', null, 'metric'), h('th', { class: 'num' }, 'n current'), h('th', { class: 'num' }, 'n reference'), h('th', { class: 'num' }, 'D'), h('th', { class: 'num' }, 'p'), h('th', { class: 'num' }, 'p adjusted'), h('th', null, 'method'), h('th', null, ''), h('th', null, ''))),
        h('tbody', null, report.tests.map((test) => h('tr', { class: test === selected || ofWanted(test) ? 'highlight' : '', dataset: { test: `${test.subject_kind}:${test.subject}:${test.metric}` } },
          h('td', null, test.subject_kind), h('td', null, test.subject), h('td', null, test.metric),
          h('td', { class: 'num' }, String(test.n_current)), h('td', { class: 'num' }, String(test.n_reference)),
          h('td', { class: 'num' }, test.d.toFixed(4)), h('td', { class: 'num' }, pText(test.p_value)), h('td', { class: 'num' }, pText(test.p_adjusted)), h('td', null, test.method),
          h('td', null, h('span', { class: `badge ${test.drifted ? 'bad' : 'ok'}` }, test.drifted ? 'drifted' : 'stable')),
          h('td', null, h('button', { type: 'button', onclick: () => select(test) }, 'Show')),
        ))),
      ),
    ),
  );
}

export const driftPage: Page = { title: 'Drift', ignoresRange: true, render };
