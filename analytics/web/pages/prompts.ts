import type { AnnotationsReport } from '../../src/annotations/query-annotations';
import type { DriftReport } from '../../src/drift/read-drift';
import type { Breakdown } from '../../src/overview/query-breakdown';
import type { PromptVersionsReport } from '../../src/prompts/compare-versions';
import { promptMatches, splitPromptKey, vscodeLink } from '../../src/dashboard/view/editor-link';
import { formatCount, formatMs, formatPercent, formatUsd } from '../../src/dashboard/view/format';
import { apiParams } from '../../src/dashboard/view/view-state';
import { getJson } from '../api';
import { figure, h } from '../dom';
import type { Page, PageContext } from '../page';
import { nothingHere } from '../states';

const num = (text: string | HTMLElement) => h('td', { class: 'num' }, text);
const pValue = (p: number | undefined) => (p === undefined ? '—' : p < 0.001 ? '< 0.001' : p.toFixed(3));

function callSiteLinks(sites: Breakdown['rows'][number]['top'] | undefined, highlighted: Set<string>): HTMLElement {
  if (!sites || sites.length === 0) return h('span', { class: 'note' }, 'no call site reported');
  return h('span', { class: 'callsites' }, sites.map((site, i) => {
    const link = vscodeLink(site.key);
    const label = site.key || '(unknown)';
    const text = highlighted.has(site.key) ? h('mark', null, label) : label;
    return [i > 0 ? h('br') : null, link ? h('a', { href: link, title: 'Open in VS Code', dataset: { callsite: site.key } }, text) : text, ` (${formatCount(site.calls)})`];
  }));
}

function driftBadge(driftedMetrics: string[] | undefined): HTMLElement {
  if (driftedMetrics === undefined) return h('span', { class: 'badge muted' }, 'not tested');
  return driftedMetrics.length === 0 ? h('span', { class: 'badge ok' }, 'stable') : h('span', { class: 'badge bad', title: driftedMetrics.join(', ') }, `drift: ${driftedMetrics.join(', ')}`);
}

/** The A/B comparison of one prompt's versions: each against the busiest one. */
async function abPanel(promptId: string, range: { from: Date; to: Date }): Promise<HTMLElement> {
  const report = await getJson<PromptVersionsReport>(`/prompts/${encodeURIComponent(promptId)}/versions?from=${encodeURIComponent(range.from.toISOString())}&to=${encodeURIComponent(range.to.toISOString())}`);
  const against = new Map(report.comparisons.map((comparison) => [comparison.version, comparison]));
  return h('div', { class: 'panel', dataset: { ab: promptId } },
    h('h2', null, `A/B of ${promptId}'s versions`),
    h('p', { class: 'note' }, 'Each version against the busiest one: Welch\'s t-test on cost per call and latency, a two-proportion z-test on positive votes. A small p says the difference is unlikely to be chance.'),
    h('table', { dataset: { table: 'versions' } },
      h('thead', null, h('tr', null, h('th', null, 'version'), h('th', { class: 'num' }, 'calls'), h('th', { class: 'num' }, 'cost'), h('th', { class: 'num' }, 'cost / call'), h('th', { class: 'num' }, 'p'), h('th', { class: 'num' }, 'mean latency'), h('th', { class: 'num' }, 'p'), h('th', { class: 'num' }, 'satisfaction (votes)'), h('th', { class: 'num' }, 'p'))),
      h('tbody', null, report.versions.map((version) => {
        const comparison = against.get(version.version);
        return h('tr', { dataset: { version: version.version } },
          h('td', null, version.version || '(none)', comparison ? '' : ' (control)'),
          num(figure('version-calls', version.calls, formatCount(version.calls))),
          num(formatUsd(version.cost_usd)),
          num(formatUsd(version.cost_per_call.mean)),
          num(pValue(comparison?.cost_per_call?.p)),
          num(formatMs(version.latency_ms.mean)),
          num(pValue(comparison?.latency_ms?.p)),
          num(`${formatPercent(version.satisfaction.rate)} (${version.votes})`),
          num(pValue(comparison?.satisfaction?.p)),
        );
      })),
    ),
  );
}

async function render(context: PageContext) {
  const { state, range } = context;
  const window = `from=${encodeURIComponent(range.from.toISOString())}&to=${encodeURIComponent(range.to.toISOString())}`;
  const [annotations, drift, sites, atCallSite] = await Promise.all([
    getJson<AnnotationsReport>(`/annotations/prompts?${window}`),
    getJson<DriftReport>('/drift'),
    getJson<Breakdown>(`/breakdown?${apiParams(range, {}, { group_by: 'prompt', then: 'callsite', limit: '10' })}`),
    state.filters.callsite ? getJson<Breakdown>(`/breakdown?${apiParams(range, { callsite: state.filters.callsite }, { group_by: 'prompt', then: 'callsite', limit: '10' })}`) : undefined,
  ]);
  const sitesByPrompt = new Map(sites.rows.map((row) => [row.key, row.top]));
  // A call-site link from the editor: the prompts called there, and the matching call-site keys.
  const promptsAtSite = atCallSite ? new Set(atCallSite.rows.map((row) => row.key)) : undefined;
  const matchedSites = new Set(atCallSite?.rows.flatMap((row) => row.top.map((site) => site.key)) ?? []);
  const drifted = new Map<string, string[]>();
  for (const test of drift.tests.filter((t) => t.subject_kind === 'prompt')) {
    const list = drifted.get(test.subject) ?? [];
    if (test.drifted) list.push(test.metric);
    drifted.set(test.subject, list);
  }
  const rows = annotations.rows.filter((row) => promptMatches(row.key, state.filters.prompt) && (!promptsAtSite || promptsAtSite.has(row.key)));
  const versionsOf = new Map<string, number>();
  for (const row of annotations.rows) versionsOf.set(splitPromptKey(row.key).id, (versionsOf.get(splitPromptKey(row.key).id) ?? 0) + 1);
  const abId = state.extra.ab ?? (state.filters.prompt && (versionsOf.get(splitPromptKey(state.filters.prompt).id) ?? 0) > 1 ? splitPromptKey(state.filters.prompt).id : undefined);
  const ab = abId ? await abPanel(abId, range) : null;
  const narrowed = ['feature', 'model', 'user'].some((name) => name in state.filters);
  return h('div', null,
    state.filters.callsite ? h('p', { class: 'note', dataset: { callsiteFilter: state.filters.callsite } }, `Prompts called at ${state.filters.callsite}: ${rows.length === 0 ? 'none in this range' : rows.map((row) => row.key).join(', ')}`) : null,
    narrowed ? h('p', { class: 'note' }, 'Prompt figures cover every call of each prompt; the feature, model and user filters do not apply here.') : null,
    rows.length === 0 ? nothingHere('No prompt calls in this range. Spans name their prompt with spanlens.prompt.id and spanlens.prompt.version (or the Traceloop / Langfuse attributes).') : h('div', { class: 'panel' },
      h('table', { dataset: { table: 'prompts' } },
        h('thead', null, h('tr', null, h('th', null, 'prompt'), h('th', null, 'version'), h('th', { class: 'num' }, 'calls'), h('th', { class: 'num' }, 'cost'), h('th', { class: 'num' }, 'cost / call'), h('th', { class: 'num' }, 'p95 latency'), h('th', { class: 'num' }, 'errors'), h('th', { class: 'num' }, 'satisfaction (votes)'), h('th', null, 'drift'), h('th', null, 'call sites'), h('th', null, ''))),
        h('tbody', null, rows.map((row) => {
          const { id, version } = splitPromptKey(row.key);
          const highlighted = (state.filters.prompt !== undefined && promptMatches(row.key, state.filters.prompt)) || promptsAtSite?.has(row.key) === true;
          return h('tr', { class: highlighted ? 'highlight' : '', dataset: { key: row.key } },
            h('td', null, id), h('td', null, version || '—'),
            num(figure('prompt-calls', row.calls, formatCount(row.calls))),
            num(figure('prompt-cost', row.cost_usd, formatUsd(row.cost_usd))),
            num(formatUsd(row.cost_per_call_usd)),
            num(formatMs(row.p95_ms)),
            num(formatPercent(row.error_rate)),
            num(`${formatPercent(row.satisfaction.rate, 0)} (${row.satisfaction.votes})`),
            h('td', null, driftBadge(drifted.get(id))),
            h('td', null, callSiteLinks(sitesByPrompt.get(row.key), matchedSites)),
            h('td', null, (versionsOf.get(id) ?? 0) > 1 ? h('button', { type: 'button', dataset: { compare: id }, onclick: () => context.navigate({ ...state, extra: { ...state.extra, ab: id } }) }, 'Compare versions') : null),
          );
        })),
      ),
    ),
    ab,
  );
}

export const promptsPage: Page = { title: 'Prompts', render };
