import type { CostReportModel, ReportRow, ReportTotals } from './cost-report-model';
import { plainDecimal } from './number-format';

/** Makes Excel read the file as UTF-8 rather than the machine's legacy code page. */
const byteOrderMark = '\uFEFF';

type Cell = string | number | null | undefined;
interface Column {
  header: string;
  /** Numbers are written as plain decimals, text is quoted when needed. */
  cell: (row: ReportRow | null, totals: ReportTotals) => Cell;
  text?: boolean;
}

/**
 * The per-key table as CSV (RFC 4180): a BOM, a header row, one row per key
 * and a TOTAL row; the range in ISO 8601 on every row so that a sheet of
 * several pasted reports stays readable. Only the per-key table: a CSV file
 * holds one table, and the other sections are in the JSON and HTML.
 */
export function renderCsv(model: CostReportModel): string {
  const columns = csvColumns(model);
  const lines = [columns.map((column) => quoteCsv(column.header))];
  for (const row of model.rows) lines.push(columns.map((column) => csvCell(column.cell(row, model.totals), column.text)));
  lines.push(columns.map((column) => csvCell(column.cell(null, model.totals), column.text)));
  return byteOrderMark + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

function csvColumns(model: CostReportModel): Column[] {
  const from = isoForSheets(model.from);
  const to = isoForSheets(model.to);
  const totalCost = model.totals.cost_usd;
  const columns: Column[] = [
    { header: 'from', cell: () => from },
    { header: 'to', cell: () => to },
    { header: model.by, cell: (row) => (row ? row.key : 'TOTAL'), text: true },
    { header: 'cost_usd', cell: (row, totals) => (row ?? totals).cost_usd },
    { header: 'share_of_cost', cell: (row) => (row ? row.share_of_cost : totalCost === 0 ? null : 1) },
    { header: 'calls', cell: (row, totals) => (row ?? totals).calls },
    { header: 'input_tokens', cell: (row, totals) => (row ?? totals).input_tokens },
    { header: 'output_tokens', cell: (row, totals) => (row ?? totals).output_tokens },
    { header: 'cache_read_tokens', cell: (row, totals) => (row ?? totals).cache_read_tokens },
    { header: 'reasoning_tokens', cell: (row, totals) => (row ?? totals).reasoning_tokens },
    { header: 'unpriced_calls', cell: (row, totals) => (row ?? totals).unpriced_calls },
  ];
  if (model.revenue) {
    columns.push(
      { header: 'revenue_usd', cell: (row, totals) => (row ? row.revenue_usd : totals.revenue_usd) },
      { header: 'cost_share_of_revenue', cell: (row, totals) => (row ? row.cost_share_of_revenue : totals.cost_share_of_revenue) },
    );
  }
  if (model.plans) {
    columns.push(
      { header: 'plan', cell: (row) => (row ? row.plan : null), text: true },
      { header: 'plan_price_usd', cell: (row, totals) => (row ? row.plan_price_usd : totals.plan_price_usd) },
      { header: 'margin_usd', cell: (row, totals) => (row ? row.margin_usd : totals.margin_usd) },
    );
  }
  return columns;
}

function csvCell(value: Cell, text = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return plainDecimal(value);
  return quoteCsv(text ? defuseFormula(value) : value);
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
export function quoteCsv(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Keys come from the instrumented application (feature names, user ids), and
 * a spreadsheet runs a cell starting with = + - @ as a formula; a leading
 * apostrophe makes it text, as OWASP advises for CSV exports.
 */
export function defuseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** ISO 8601 without milliseconds when they are zero: "2026-11-01T00:00:00Z". */
export function isoForSheets(iso: string): string {
  return iso.replace(/\.000Z$/, 'Z');
}
