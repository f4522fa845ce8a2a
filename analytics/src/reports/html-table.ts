/** A table cell: text is escaped; `num` right-aligns it with tabular figures. */
export interface HtmlCell {
  text: string;
  num?: boolean;
  /** Dollars as displayUsd writes them: digits below a cent are shown smaller. */
  money?: boolean;
  title?: string;
}

export interface HtmlTable {
  id: string;
  caption: string;
  headers: HtmlCell[];
  rows: HtmlCell[][];
  /** Total lines, in <tfoot>. */
  foot?: HtmlCell[][];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export const num = (text: string, title?: string): HtmlCell => ({ text, num: true, ...(title ? { title } : {}) });
export const money = (text: string): HtmlCell => ({ text, num: true, money: true });
export const txt = (text: string): HtmlCell => ({ text });

function cellHtml(cell: HtmlCell, tag: 'td' | 'th', scope?: string): string {
  const attributes = [cell.num ? ' class="num"' : '', scope ? ` scope="${scope}"` : '', cell.title ? ` title="${escapeHtml(cell.title)}"` : ''].join('');
  return `<${tag}${attributes}>${cell.money ? moneyHtml(cell.text) : escapeHtml(cell.text)}</${tag}>`;
}

/**
 * "$178.437923467" as "$178.43" with "7923467" small and grey: the figure
 * stays exact (it equals the API's to the nanodollar, and copies as one
 * number) while the eye reads dollars and cents.
 */
export function moneyHtml(text: string): string {
  const match = /^(-?\$[\d,]+\.\d{2})(\d+)$/.exec(text);
  return match ? `${escapeHtml(match[1]!)}<span class="fine">${match[2]}</span>` : escapeHtml(text);
}

/** A table whose first column heads each row, for screen readers. */
export function tableHtml(table: HtmlTable): string {
  const head = `<tr>${table.headers.map((cell) => cellHtml(cell, 'th', 'col')).join('')}</tr>`;
  const line = (cells: HtmlCell[]) => `<tr>${cells.map((cell, i) => cellHtml(cell, i === 0 ? 'th' : 'td', i === 0 ? 'row' : undefined)).join('')}</tr>`;
  const foot = table.foot?.length ? `<tfoot>${table.foot.map(line).join('\n')}</tfoot>` : '';
  return [
    `<div class="table-wrap"><table id="${escapeHtml(table.id)}">`,
    `<caption>${escapeHtml(table.caption)}</caption>`,
    `<thead>${head}</thead>`,
    `<tbody>${table.rows.map(line).join('\n')}</tbody>`,
    foot,
    '</table></div>',
  ].join('\n');
}
