import { statusNotification, type EditorStatus } from '@spanlens/core/editor-protocol';
import { MessageType, type Connection } from 'vscode-languageserver';
import { formatUsd } from '../annotations/format';
import type { LiveState } from '../live/live-data';
import type { ServerSettings } from './settings';

/**
 * The one quiet status line. A `spanlens/status` notification whenever it
 * changes (VS Code puts it in the status bar), and one log message when the
 * API goes away or comes back, never one per failed poll.
 */
export class StatusReporter {
  private last: EditorStatus | undefined;
  private lastKind: LiveState['kind'] = 'loading';

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
    if (state.kind === 'unreachable' && this.lastKind === 'unreachable') return;
    if (state.kind !== this.lastKind) this.logTransition(state);
    this.lastKind = state.kind;
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
        return { ...base, state: 'unauthorized', text: 'Spanlens: API key refused', tooltip: `${apiUrl} answered ${state.status}: set an API key with the read scope (spanlens.apiKey, or SPANLENS_API_KEY).` };
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
    else if (state.kind === 'unauthorized') this.connection.sendNotification('window/logMessage', { type: MessageType.Warning, message: `Spanlens: ${apiUrl} refused the API key (${state.status}).` });
    else if (state.kind === 'ok' && this.lastKind !== 'loading') this.connection.sendNotification('window/logMessage', { type: MessageType.Info, message: `Spanlens: ${apiUrl} answers again.` });
  }
}
