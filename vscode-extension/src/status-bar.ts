import { StatusBarAlignment, ThemeColor, window, type StatusBarItem } from 'vscode';
import { editorCommands, type EditorStatus } from '@spanlens/core/editor-protocol';

/**
 * The status bar item shows whatever the server last reported in
 * `spanlens/status`; it formats nothing itself, so every editor shows the
 * same words.
 */
export function createStatusBarItem(): StatusBarItem {
  const item = window.createStatusBarItem('spanlens.status', StatusBarAlignment.Right, 100);
  item.name = 'Spanlens';
  item.text = '$(sync~spin) Spanlens';
  item.tooltip = 'Spanlens: starting the language server';
  // The server registers this command (it is in its executeCommandProvider).
  item.command = editorCommands.openDashboard;
  item.show();
  return item;
}

export function showStatus(item: StatusBarItem, status: EditorStatus): void {
  item.text = status.text;
  item.tooltip = status.tooltip;
  // A problem gets the warning colour so that it is noticed without a popup.
  item.backgroundColor =
    status.state === 'unreachable' || status.state === 'unauthorized' ? new ThemeColor('statusBarItem.warningBackground') : undefined;
}
