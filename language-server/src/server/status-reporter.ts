import { statusNotification, type EditorStatus } from '@spanlens/core/editor-protocol';
import { MessageType, type Connection } from 'vscode-languageserver';
import { formatUsd } from '../annotations/format';
import { situationOf, type LiveState } from '../live/live-data';
import type { ServerSettings } from './settings';

/**
 * The one quiet status line. A `spanlens/status` notification whenever it
 * changes (VS Code puts it in the status bar), and one log message when the
 * API goes away, refuses the key or comes back, never one per failed poll.
 */
export class StatusReporter {
  private last: EditorStatus | undefined;
  private lastSituation = situationOf({ kind: 'loading' });

  constructor(
    private readonly connection: Connection,
    private readonly settings: () => ServerSettings,
    private readonly spend: () => { matched: number; spendUsd: number; totalUsd: number },
    private readonly fetchedAt: () => Date | null,
  ) {}

  current(): EditorStatus {
    return this.last ?? this.build({ kind: 'loading' });
  }

  report(state: LiveState): void {
    // Still away: the reason may read differently from one poll to the next
    // (a closed socket, then a refused connection), which is no news.
    const situation = situationOf(state);
    if (situation === 'unreachable' && this.lastSituation === 'unreachable') return;
    if (situation !== this.lastSituation) this.logTransition(state);
    this.lastSituation = situation;
    const next = this.build(state);
    if (JSON.stringify(next) === JSON.stringify(this.last)) return;
    this.last = next;
    void this.connection.sendNotification(statusNotification, next);
  }

  private build(state: LiveState): EditorStatus {
    const { apiUrl, dashboardUrl } = this.settings();
    const fetchedAt = this.fetchedAt();
    const spend = this.spend();
    const since = fetchedAt ? `; figures from ${fetchedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
    const base = { dashboardUrl, fetchedAt: fetchedAt?.toISOString() ?? null, spendUsd24h: fetchedAt ? spend.spendUsd : null };
    switch (state.kind) {
      case 'loading':
        return { ...base, state: 'loading', text: 'Spanlens …', tooltip: `Reading ${apiUrl}` };
      case 'unreachable':
        return { ...base, state: 'unreachable', text: 'Spanlens: API unreachable', tooltip: `${apiUrl}: ${state.reason}${since}. Retrying every ${this.settings().refreshMs / 1000}s.` };
      case 'unauthorized':
        return { ...base, state: 'unauthorized', ...refusal(state, apiUrl) };
      case 'ok':
        return {
          ...base,
          state: 'ok',
          text: `Spanlens ${formatUsd(spend.spendUsd)}/24h`,
          tooltip: `LLM spend over the last 24h of the ${spend.matched} call sites found in this workspace (all call sites: ${formatUsd(spend.totalUsd)})${since}. Click to open the dashboard.`,
        };
    }
  }

  private logTransition(state: LiveState): void {
    const { apiUrl } = this.settings();
    if (state.kind === 'unreachable') this.connection.sendNotification('window/logMessage', { type: MessageType.Warning, message: `Spanlens: ${apiUrl} is unreachable (${state.reason}); annotations keep their last figures until it answers again.` });
    else if (state.kind === 'unauthorized') this.connection.sendNotification('window/logMessage', { type: MessageType.Warning, message: `${refusal(state, apiUrl).tooltip} Production figures are not refreshed until a key is accepted.` });
    else if (state.kind === 'ok' && this.lastSituation.startsWith('unauthorized')) this.connection.sendNotification('window/logMessage', { type: MessageType.Info, message: `Spanlens: ${apiUrl} accepts the API key.` });
    else if (state.kind === 'ok' && this.lastSituation !== 'loading') this.connection.sendNotification('window/logMessage', { type: MessageType.Info, message: `Spanlens: ${apiUrl} answers again.` });
  }
}

const keyHelp = 'spanlens.apiKey in the editor (VS Code: Spanlens: Set API key), or SPANLENS_API_KEY';

/**
 * Why the API turned the editor away, in words that say what to do: no key
 * sent (401), a key it does not know or was revoked (401), or a valid key
 * without the read scope (403, e.g. an ingest key).
 */
export function refusal(state: Extract<LiveState, { kind: 'unauthorized' }>, apiUrl: string): { text: string; tooltip: string } {
  if (state.status === 403) {
    return { text: 'Spanlens: API key lacks read scope', tooltip: `Spanlens API ${apiUrl} refused the key (403): its scope does not include read (an ingest key?). Set a key with the read scope in ${keyHelp}.` };
  }
  if (!state.keySent) {
    return { text: 'Spanlens: API key missing', tooltip: `Spanlens API ${apiUrl} requires an API key (${state.status}): set a key with the read scope in ${keyHelp}.` };
  }
  return { text: 'Spanlens: API key refused', tooltip: `Spanlens API ${apiUrl} refused the key (${state.status}): it is unknown or revoked. Set a key with the read scope in ${keyHelp}.` };
}
