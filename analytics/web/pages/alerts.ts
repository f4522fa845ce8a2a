import type { AlertView, SilenceView } from '@spanlens/core/api/alerts';
import type { AlertHistory } from '../../src/overview/alert-history';
import { promptMatches } from '../../src/dashboard/view/editor-link';
import { formatUtc } from '../../src/dashboard/view/format';
import type { ViewState } from '../../src/dashboard/view/view-state';
import { matchersFor, parseMatchers, silenceDurations, silenceEnd } from '../../src/dashboard/view/silence-form';
import { getJson, sendJson } from '../api';
import { figure, h } from '../dom';
import type { Page, PageContext } from '../page';
import { nothingHere } from '../states';

/** The alerts package's response shapes live in core, like every API contract. */
const when = (iso: string | null) => (iso ? formatUtc(iso) : '—');
const labelText = (labels: Record<string, string>) => Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—';

/**
 * Whether an alert's labels match the URL's filters (the editor links to
 * /alerts?prompt=<id>): a filter on a label the alert does not carry does not match.
 */
function matchesFilters(labels: Record<string, string>, filters: ViewState['filters']): boolean {
  const set = Object.entries(filters).filter(([name]) => name !== 'callsite');
  if (set.length === 0) return false;
  return set.every(([name, value]) => (name === 'prompt' ? labels.prompt !== undefined && promptMatches(labels.prompt, value) : labels[name] === value));
}

function alertTable(alerts: AlertView[], name: string, prefill: (alert: AlertView) => void, filters: ViewState['filters']): HTMLElement {
  return h('table', { dataset: { table: name } },
    h('thead', null, h('tr', null, h('th', null, 'rule'), h('th', null, 'labels'), h('th', null, 'state'), h('th', null, 'severity'), h('th', { class: 'num' }, 'value'), h('th', { class: 'num' }, 'baseline'), h('th', null, 'since'), h('th', null, 'resolved'), h('th', null, 'summary'), h('th', null, ''))),
    h('tbody', null, alerts.map((alert) => h('tr', { class: matchesFilters(alert.labels, filters) ? 'highlight' : '', dataset: { fingerprint: alert.fingerprint } },
      h('td', null, alert.rule), h('td', null, labelText(alert.labels)),
      h('td', null, h('span', { class: `badge ${alert.state === 'firing' ? 'bad' : alert.state === 'inactive' ? 'ok' : 'muted'}` }, alert.state === 'inactive' ? 'resolved' : alert.state)),
      h('td', null, alert.severity),
      h('td', { class: 'num' }, figure('alert-value', alert.value, alert.value === null ? '—' : String(Number(alert.value.toPrecision(6))))),
      h('td', { class: 'num' }, alert.baseline === null ? '—' : String(Number(alert.baseline.toPrecision(6)))),
      h('td', null, when(alert.firing_since ?? alert.active_since)), h('td', null, when(alert.resolved_at)),
      h('td', null, alert.summary),
      h('td', null, h('button', { type: 'button', onclick: () => prefill(alert) }, 'Silence…')),
    ))),
  );
}

function historyTable(history: AlertHistory): HTMLElement {
  const outcome = (entry: AlertHistory['notifications'][number]) =>
    entry.suppressed ? 'silenced' : [entry.delivered.length > 0 ? `sent to ${entry.delivered.join(', ')}` : 'not sent (no channel took it)', entry.failed.length > 0 ? `failed attempts: ${entry.failed.join(', ')}` : ''].filter(Boolean).join('; ');
  return h('table', { dataset: { table: 'alert-history' } },
    h('thead', null, h('tr', null, h('th', null, 'time (UTC)'), h('th', null, 'rule'), h('th', null, 'labels'), h('th', null, 'event'), h('th', null, 'outcome'))),
    h('tbody', null, history.notifications.map((entry) => h('tr', { dataset: { fingerprint: entry.fingerprint } },
      h('td', null, when(entry.at)), h('td', null, entry.rule), h('td', null, labelText(entry.labels)),
      h('td', null, h('span', { class: `badge ${entry.kind === 'firing' ? 'bad' : 'ok'}` }, entry.kind)),
      h('td', null, outcome(entry)),
    ))),
  );
}

function silenceForm(context: PageContext): { form: HTMLFormElement; prefill(alert: AlertView): void } {
  const message = h('p', { class: 'form-message', role: 'status' });
  const matchers = h('input', { type: 'text', name: 'matchers', size: 50, placeholder: 'alertname=expensive-call, feature=search', required: true });
  const form = h('form', {
    class: 'inline',
    'aria-label': 'New silence',
    onsubmit: async (event: Event) => {
      event.preventDefault();
      const data = new FormData(form);
      const parsed = parseMatchers(String(data.get('matchers') ?? ''));
      if (!parsed.ok) {
        message.textContent = parsed.error;
        return;
      }
      const ends = silenceEnd(String(data.get('duration')), new Date());
      try {
        await sendJson('POST', '/silences', { matchers: parsed.matchers, ends_at: ends?.toISOString(), created_by: String(data.get('created_by') ?? ''), comment: String(data.get('comment') ?? '') });
        context.refresh();
      } catch (error) {
        message.textContent = (error as Error).message;
      }
    },
  },
    h('label', null, 'matchers', matchers),
    h('label', null, 'expires in', h('select', { name: 'duration' }, Object.keys(silenceDurations).map((d) => h('option', { value: d, selected: d === '4h' }, d)))),
    h('label', null, 'created by', h('input', { type: 'text', name: 'created_by', required: true, size: 12 })),
    h('label', null, 'comment', h('input', { type: 'text', name: 'comment', required: true, size: 30 })),
    h('button', { type: 'submit', class: 'primary' }, 'Create silence'),
    message,
  ) as HTMLFormElement;
  return {
    form,
    prefill(alert) {
      matchers.value = matchersFor(alert.rule, alert.labels);
      matchers.focus();
    },
  };
}

async function render(context: PageContext) {
  const [alerts, silences, history] = await Promise.all([
    getJson<{ active: AlertView[]; recent: AlertView[] }>('/alerts'),
    getJson<{ silences: SilenceView[] }>('/silences'),
    getJson<AlertHistory>('/alert-history'),
  ]);
  const { form, prefill } = silenceForm(context);
  const remove = async (id: string, button: HTMLButtonElement) => {
    button.disabled = true;
    await sendJson('DELETE', `/silences/${encodeURIComponent(id)}`).catch((error: Error) => alert(error.message));
    context.refresh();
  };
  const shown = [...silences.silences].sort((a, b) => (a.status === 'expired' ? 1 : 0) - (b.status === 'expired' ? 1 : 0) || b.ends_at.localeCompare(a.ends_at));
  return h('div', null,
    h('p', { class: 'note' }, 'Alerts come from the rules the alerts role evaluates (rules as code). Times are UTC.',
      Object.keys(context.state.filters).length > 0 ? ' Alerts whose labels match the filters are highlighted.' : ''),
    h('div', { class: 'panel' }, h('h2', null, `Active (${alerts.active.length})`), alerts.active.length === 0 ? nothingHere('Nothing pending or firing.') : alertTable(alerts.active, 'active-alerts', prefill, context.state.filters)),
    h('div', { class: 'panel' }, h('h2', null, `Resolved in the last 24 hours (${alerts.recent.length})`), alerts.recent.length === 0 ? nothingHere('Nothing resolved in the last 24 hours.') : alertTable(alerts.recent, 'recent-alerts', prefill, context.state.filters)),
    h('div', { class: 'panel' },
      h('h2', null, 'Notifications, last 7 days'),
      history.notifications.length === 0 ? nothingHere('No notifications in the last 7 days.') : historyTable(history),
    ),
    h('div', { class: 'panel' },
      h('h2', null, 'Silences'),
      form,
      shown.length === 0 ? nothingHere('No silences.') : h('table', { dataset: { table: 'silences' } },
        h('thead', null, h('tr', null, h('th', null, 'status'), h('th', null, 'matchers'), h('th', null, 'starts'), h('th', null, 'ends'), h('th', null, 'by'), h('th', null, 'comment'), h('th', null, ''))),
        h('tbody', null, shown.map((silence) => h('tr', { dataset: { silence: silence.id } },
          h('td', null, h('span', { class: `badge ${silence.status === 'active' ? 'bad' : 'muted'}` }, silence.status)),
          h('td', null, silence.matchers.map((m) => `${m.name}${m.regex ? '=~' : '='}${m.value}`).join(', ')),
          h('td', null, when(silence.starts_at)), h('td', null, when(silence.ends_at)), h('td', null, silence.created_by), h('td', null, silence.comment),
          h('td', null, silence.status === 'expired' ? null : h('button', { type: 'button', dataset: { deleteSilence: silence.id }, onclick: (event: Event) => void remove(silence.id, event.target as HTMLButtonElement) }, 'Delete')),
        ))),
      ),
    ),
  );
}

export const alertsPage: Page = { title: 'Alerts', worksWithoutSpans: true, ignoresRange: true, render };
