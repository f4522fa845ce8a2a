import { formatViewState, parseViewState, resolveRange, type ViewState } from '../src/dashboard/view/view-state';
import { getJson } from './api';
import { disposeCharts, mountCharts } from './charts';
import { controls, header } from './controls';
import { h } from './dom';
import type { Page, PageContext } from './page';
import { alertsPage } from './pages/alerts';
import { driftPage } from './pages/drift';
import { featuresPage } from './pages/features';
import { overviewPage } from './pages/overview';
import { promptsPage } from './pages/prompts';
import { usersPage } from './pages/users';
import { emptyState, errorState } from './states';

const pages: Record<string, Page> = {
  '/': overviewPage,
  '/features': featuresPage,
  '/users': usersPage,
  '/prompts': promptsPage,
  '/alerts': alertsPage,
  '/drift': driftPage,
};

const REFRESH_MS = 60_000;
const root = document.getElementById('app')!;
let autoRefresh = true;
let drawing = 0;

/**
 * Draws the page the URL names. The old page stays until the new one is
 * ready, so a refresh does not flash; `data-state` on #app says when the
 * page is drawn (tests and screen readers wait for it).
 */
async function draw(): Promise<void> {
  const ticket = ++drawing;
  const path = location.pathname.replace(/\/+$/, '') || '/';
  const page = pages[path] ?? overviewPage;
  const state = parseViewState(location.search);
  const range = resolveRange(state, new Date());
  root.dataset.state = 'loading';
  document.title = `${page.title} · Spanlens`;
  const context: PageContext = { state, range, navigate, refresh: () => void draw() };
  let content: Node;
  try {
    // The page's own requests go out with the status check rather than after it: one round trip less.
    const [status, body] = await Promise.all([getJson<{ has_spans: boolean }>('/overview/status'), page.render(context)]);
    content = h('div', null, status.has_spans ? null : emptyState(), status.has_spans || page.worksWithoutSpans ? body : null);
  } catch (error) {
    content = errorState((error as Error).message, () => void draw());
  }
  // A later draw (the user changed the range meanwhile) wins.
  if (ticket !== drawing) return;
  disposeCharts();
  root.replaceChildren(
    header(state, path),
    controls(state, range, navigate, { on: autoRefresh, toggle: (on) => (autoRefresh = on) }, { ignoresRange: page.ignoresRange }),
    h('main', null, h('h1', null, page.title), content),
  );
  mountCharts();
  root.dataset.state = 'ready';
}

function navigate(next: ViewState): void {
  history.pushState(null, '', `${location.pathname}${formatViewState(next)}`);
  void draw();
}

window.addEventListener('popstate', () => void draw());
/** Someone typing (a filter, a silence) would lose the text to a redraw; the refresh waits for the next tick. */
const typing = () => {
  const focused = document.activeElement;
  return focused instanceof HTMLTextAreaElement || focused instanceof HTMLSelectElement || (focused instanceof HTMLInputElement && focused.type !== 'checkbox');
};
setInterval(() => {
  if (autoRefresh && document.visibilityState === 'visible' && root.dataset.state === 'ready' && !typing()) void draw();
}, REFRESH_MS);
void draw();
